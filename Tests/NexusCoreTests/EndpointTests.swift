import NexusCore
import Testing

/// `Endpoint.isLoopback` is the one rule for "on this machine": it decides which providers may see a
/// prompt under `privacy = "local-only"`, so anything it cannot parse strictly is remote.
@Suite struct EndpointLoopbackSpecs {
    @Test func plainLoopbackSpellingsAreLocal() {
        for url in [
            "http://127.0.0.1:8080/v1", "http://127.3.4.5", "https://127.255.255.255:443/x", "http://localhost:11434",
            "http://LOCALHOST", "http://localhost./v1", "http://[::1]:8080/v1", "http://[::1]", "HTTP://127.0.0.1",
        ] {
            #expect(Endpoint.isLoopback(url: url), "\(url) is loopback")
        }
    }

    /// The copy in the orchestrator matched `hasPrefix("127.")`, so `127.example.com` was "local" and
    /// local-only sent prompts to whatever that name resolves to.
    @Test func namesThatOnlyLookLikeLoopbackAreRemote() {
        for url in [
            "http://127.example.com/v1", "http://127.0.0.1.evil.com", "http://127.0.0.1@evil.com/v1",
            "http://user@127.0.0.1/v1", "https://localhost.example.com/v1", "http://foo.localhost/v1",
            "http://127.1/v1", "http://0x7f000001/v1", "http://2130706433/v1", "http://0177.0.0.1/v1",
            "http://127.0.0.01/v1", "http://127.0.0.256/v1", "http://127.0.0/v1", "http://[::1%25eth0]/v1",
            "http://[0:0:0:0:0:0:0:1]/v1", "http://[::ffff:127.0.0.1]/v1", "http://127.0.0.1:80x/v1",
            "http://127.0.0.1:/v1", "http://127%2e0.0.1/v1", "ftp://127.0.0.1/", "127.0.0.1:8080", "http:///v1",
            "http://128.0.0.1", "https://api.openai.com/v1", "http://10.0.0.5/v1", "http://0.0.0.0:8080",
            "http://127.0.0.1\u{0}.example.com/v1", "http://127.0.0.1 .example.com/v1",
        ] {
            #expect(!Endpoint.isLoopback(url: url), "\(url) is not loopback")
        }
    }

    @Test func theHostIsReadFromTheAuthorityOnly() {
        #expect(Endpoint.host(of: "http://127.0.0.1:8080/v1?x=@evil.com#frag") == "127.0.0.1")
        #expect(Endpoint.host(of: "http://[::1]:9/v1") == "::1")
        #expect(Endpoint.host(of: "http://a@b/v1") == nil)
    }
}
