import NexusSandbox
import Testing

@Suite struct HostRuleTests {
    @Test func exactHostWithoutPortAllowsOnlyWebPorts() throws {
        let r = try HostRule.parse("API.Example.com")
        #expect(r.pattern == .exact("api.example.com"))
        #expect(r.matches(host: "api.example.com", port: 443))
        #expect(r.matches(host: "api.example.com", port: 80))
        #expect(!r.matches(host: "api.example.com", port: 8443))
    }

    @Test func explicitPortIsTheOnlyPort() throws {
        let r = try HostRule.parse("api.example.com:8443")
        #expect(r.matches(host: "api.example.com", port: 8443))
        #expect(!r.matches(host: "api.example.com", port: 443))
    }

    @Test func suffixPatternMatchesSubdomainsButNotLookalikes() throws {
        let r = try HostRule.parse("*.example.com")
        #expect(r.matches(host: "a.example.com", port: 443))
        #expect(r.matches(host: "a.b.example.com", port: 443))
        #expect(!r.matches(host: "example.com", port: 443))
        #expect(!r.matches(host: "evilexample.com", port: 443))
        #expect(!r.matches(host: "a.example.com.evil.net", port: 443))
    }

    @Test func exactHostDoesNotMatchLookalikes() throws {
        let r = try HostRule.parse("api.example.com")
        for h in ["api.example.com.evil.net", "evilapi.example.com", "api-example.com", "x.api.example.com"] {
            #expect(!r.matches(host: h, port: 443), "\(h)")
        }
    }

    @Test func addressesParseInBothFamilies() throws {
        #expect(try HostRule.parse("127.0.0.1:8080").pattern == .address("127.0.0.1"))
        #expect(try HostRule.parse("[::1]:8080").port == 8080)
        #expect(try HostRule.parse("[::1]").pattern == .address("::1"))
    }

    @Test(arguments: [
        "https://api.example.com", "http://x", "10.0.0.0/8", "api.example.com/path", "", "   ", "api.example.com:0",
        "api.example.com:99999", "api.example.com:http", "*", "*.com", "a*.example.com", "api..example.com",
        "-bad.example.com", "exa mple.com",
    ])
    func badAllowHostIsRefusedWithItsFlag(_ text: String) {
        #expect(throws: SandboxError.self) { try HostRule.parse(text) }
        do {
            _ = try HostRule.parse(text)
        } catch {
            #expect(error.userMessage.contains("--allow-host"))
            #expect(error.exitCode == .usage)
        }
    }

    @Test func urlGetsAHintToGiveTheHostOnly() {
        do {
            _ = try HostRule.parse("https://api.example.com/v1")
            Issue.record("a URL was accepted")
        } catch {
            #expect(error.userMessage.contains("URL"))
            #expect(error.hint?.contains("host name") == true)
        }
    }
}
