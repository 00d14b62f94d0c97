import NexusCore
import NexusTesting
import Testing

/// Issue 12 item 12, through the real binary: with `privacy = "local-only"`, no prompt leaves this machine,
/// from the classifier's model call, the turn's chat call or a failover down the chain.
///
/// The fake provider stands in for the remote servers too: `http_proxy` points libcurl at it, so a
/// request to `api.example.com` or `127.example.com` (which an older copy of the locality check counted
/// as loopback) really is sent, and counted, if nexus makes it.
@Suite(.serialized) struct PrivacyLocalOnlyEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-privacy")

    /// 15 words with no keyword: the heuristics are unsure, so the classification model is asked.
    static let unclear = "please say something kind about the sea and the sky on a quiet morning like this"

    func env(_ server: FakeProviderServer, routing: String) -> [String: String] {
        let config = dir.write(
            "nexus.toml",
            """
            privacy = "local-only"
            [classifier]
            use_model_when_unclear = true
            [providers.local]
            kind = "openai"
            base_url = "\(server.baseURL(for: .openai))"
            max_retries = 0
            [providers.lookalike]
            kind = "openai"
            base_url = "http://127.example.com/v1"
            max_retries = 0
            [providers.remote]
            kind = "openai"
            base_url = "http://api.example.com/v1"
            max_retries = 0
            [routing]
            \(routing)
            """)
        return [
            "NEXUS_HOME": dir.path + "/home", "NEXUS_CONFIG": config, "NO_COLOR": "1",
            "http_proxy": server.url, "no_proxy": "",
            // A key, so a remote provider is ready to send: only the privacy check can stop it.
            "OPENAI_API_KEY": "sk-test",
        ]
    }

    /// Requests that went to a host other than this machine (through the proxy, so the target is absolute).
    func remoteRequests(_ server: FakeProviderServer) -> [String] {
        server.requests.map(\.path).filter { $0.contains("example.com") }
    }

    @Test func theClassifierAndTheTurnSendNothingToARemoteProvider() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        defer { dir.remove() }
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(
            server,
            routing: """
                classification = "remote:fake-model"
                simple_query = ["lookalike:fake-model", "local:fake-model"]
                complex_reasoning = "local:fake-model"
                """)
        server.enqueue(.text("an answer from this machine"))
        let run = NexusBinary.run(["-p", Self.unclear, "--json"], env: e)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("an answer from this machine"))
        #expect(remoteRequests(server).isEmpty, "remote requests: \(remoteRequests(server))")
        #expect(run.stdout.contains("local-only: skipped"), "the skip is said, not silent")

        // `/models` lists what each provider offers: under local-only it does not ask the remote ones.
        let listing = NexusBinary.run(["--plain"], stdin: "/models\n/quit\n", env: e)
        #expect(listing.stdout.contains("not asked: privacy is local-only"), "\(listing.stdout)")
        #expect(listing.stdout.contains("reachable; models:"), "the local provider is still listed")
        #expect(remoteRequests(server).isEmpty, "remote requests: \(remoteRequests(server))")
    }

    @Test func aFailingLocalModelNeverFailsOverToARemoteOne() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        defer { dir.remove() }
        let server = try FakeProviderServer()
        defer { server.stop() }
        let chain = #"simple_query = ["local:fake-model", "lookalike:fake-model", "remote:fake-model"]"#
        let e = env(server, routing: chain)
        server.enqueue(.error(500, message: "local model crashed"), .text("leaked to a remote model"))
        let run = NexusBinary.run(["-p", "hi there"], env: e)
        #expect(run.status != 0, "the turn fails rather than leave the machine: \(run.stdout)")
        #expect(!run.stdout.contains("leaked"))
        #expect(server.chatRequests.count == 1, "only the local model was asked")
        #expect(remoteRequests(server).isEmpty, "remote requests: \(remoteRequests(server))")
    }

    /// The same set-up with privacy open does reach the "remote" servers: the proxy works, so the
    /// empty counts above are the privacy check's doing.
    @Test func withPrivacyOpenTheProxiedRemoteIsReached() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        defer { dir.remove() }
        let server = try FakeProviderServer()
        defer { server.stop() }
        var e = env(server, routing: #"simple_query = "remote:fake-model""#)
        e["NEXUS_PRIVACY"] = "open"
        server.enqueue(.text("from the remote model"))
        let run = NexusBinary.run(["-p", "hi there"], env: e)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("from the remote model"))
        #expect(remoteRequests(server).count == 1)
    }
}
