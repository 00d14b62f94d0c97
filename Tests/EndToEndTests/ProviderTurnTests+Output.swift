import NexusTesting
import Testing

/// What reaches the user's screen or file from a model or a server: shown, never obeyed, and never lost
/// in silence.
extension ProviderTurnEndToEnd {
    static let hostile = ["Hi \u{1B}]0;pwned\u{07} ", "\u{1B}[2J clear"]

    /// What `nexus -p hi` shows on a terminal when the fake server answers `reply`.
    func oneShotOnATerminal(_ reply: FakeReply, _ wire: FakeWireProtocol) throws -> PseudoTerminal.Result {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(reply)
        let env = NexusBinary.environment(environment(for: wire, server: server))
        let r = PseudoTerminal.run([NexusBinary.path, "-p", "hi"], environment: env, typing: [], waitFor: "hi")
        #expect(!r.output.contains("\u{1B}"), "an escape sequence reached the terminal: \(r.output)")
        return r
    }

    @Test func controlSequencesFromTheModelAreShownNotObeyedOnATerminal() throws {
        let r = try oneShotOnATerminal(.text(Self.hostile[0], Self.hostile[1]), .openai)
        #expect(r.status == 0, "output: \(r.output)")
        #expect(r.output.contains("Hi ^[]0;pwned^G ^[[2J clear"), "output: \(r.output)")
    }

    @Test func controlSequencesFromTheModelArePipedUnchanged() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(Self.hostile[0], Self.hostile[1]))
        let r = NexusBinary.run(["-p", "hi"], env: environment(for: .openai, server: server))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == Self.hostile.joined() + "\n")
    }

    @Test func aProvidersErrorMessageIsShownNotObeyedOnATerminal() throws {
        let r = try oneShotOnATerminal(.error(400, message: "bad \u{1B}]0;pwned\u{07}request \u{9B}2J"), .anthropic)
        #expect(r.status == 1, "output: \(r.output)")
        #expect(r.output.contains("bad ^[]0;pwned^Grequest <U+009B>2J"), "output: \(r.output)")
    }

    /// Subcommands print what others wrote too (module descriptions, provider names from a config).
    @Test func aSubcommandsOutputIsShownNotObeyedOnATerminal() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let env = NexusBinary.environment(environment(for: .openai, server: server))
        let r = PseudoTerminal.run(
            [NexusBinary.path, "route", "set", "simple_query", "evil\u{1B}]0;pwned\u{07}:m"], environment: env,
            typing: [], waitFor: "unknown provider")
        #expect(r.status == 2, "output: \(r.output)")
        #expect(!r.output.contains("\u{1B}"), "an escape sequence reached the terminal: \(r.output)")
        #expect(r.output.contains("evil^[]0;pwned^G"), "output: \(r.output)")
    }

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
