import NexusTesting
import Testing

/// `/creds` in a session that began before any credential was stored: it is there, and a secret typed
/// for it is stored, never taken for a chat message.
@Suite struct SessionCredsEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-session-creds")

    @Test func credsWorksInASessionStartedWithAnEmptyVaultAndTheSecretNeverReachesTheModel() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "fresh")
        let secret = "never-to-the-model-8731"
        let r = NexusBinary.run(
            ["--plain"], stdin: "/creds set quotes api_key\n\(secret)\n/creds list\n", env: session.env, timeout: 60)
        #expect(!r.stderr.contains("unknown command /creds"), "\(r.stderr)")
        #expect(r.stdout.contains("stored quotes/api_key"), "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(r.stdout.contains("quotes  api_key"), "the list shows it: \(r.stdout)")
        #expect(!server.chatRequests.contains { $0.body.contains(secret) }, "the secret was sent to the model")
        let list = NexusBinary.run(["creds", "list"], env: session.env)
        #expect(list.stdout.contains("api_key"), "\(list.stdout)")
    }
}
