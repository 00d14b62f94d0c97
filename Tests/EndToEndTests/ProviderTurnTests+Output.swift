import NexusTesting
import Testing

/// What reaches the user's screen or file from a model or a server: never lost in silence.
extension ProviderTurnEndToEnd {
    /// Piping a script into `nexus >/dev/full` used to pay for every turn and lose every answer.
    @Test func aScriptWhoseAnswersCannotBeWrittenStopsAfterTheFirstTurn() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(contentsOf: (1...20).map { .text("answer \($0)") })
        let script = (1...20).map { "question \($0)\n" }.joined()
        let r = NexusBinary.run(
            ["--plain"], stdout: ">/dev/full", stdin: script, env: environment(for: .openai, server: server))
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("nexus: cannot write to standard output: No space left on device\n"))
        #expect(server.chatRequests.count == 1, "turns started after the output was lost")
    }
}
