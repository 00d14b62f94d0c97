import NexusCore
import Testing

@testable import NexusREPL

/// What line mode prints for each event: the answer on stdout, activity on stderr, or JSON Lines.
@Suite struct EventRendererSpecs {
    struct Printed {
        var stdout: String
        var stderr: String
        var ended: [Bool]
    }

    func render(_ kinds: [EventKind], style: EventRenderer.Style = .text, color: Bool = false) -> Printed {
        let out = PipeCapture()
        let err = PipeCapture()
        let renderer = EventRenderer(
            style: style, out: OutputSink(fd: out.writeEnd), err: OutputSink(fd: err.writeEnd), color: color)
        var state = RenderState()
        let ended = kinds.map { renderer.render(Event(turnID: 1, kind: $0), state: &state) }
        return Printed(stdout: out.drain(), stderr: err.drain(), ended: ended)
    }

    @Test func answerStreamsToStdoutAndEndsWithOneNewline() {
        let p = render([
            .turnStarted(input: "hi"), .token("Hel"), .token("lo"), .final(text: "Hello"),
            .turnFinished(outcome: "ok", latencyMs: 1),
        ])
        #expect(p.stdout == "Hello\n")
        #expect(p.stderr == "")
        #expect(p.ended == [false, false, false, false, true], "only turn_finished ends a submission")
    }

    @Test func finalAnswerThatWasNotStreamedIsPrintedOnce() {
        let p = render([.turnStarted(input: "hi"), .final(text: "Answer"), .turnFinished(outcome: "ok", latencyMs: 1)])
        #expect(p.stdout == "Answer\n")
    }

    @Test func toolActivityGoesToStderrSoStdoutHoldsOnlyTheAnswer() {
        let call = ToolCall(id: "c1", name: "calc", arguments: ["expression": "6*7"])
        let p = render([
            .turnStarted(input: "6*7?"), .toolCall(call, module: nil),
            .toolResult(ToolResult(callID: "c1", name: "calc", content: "42"), latencyMs: 3),
            .token("It is 42."), .final(text: "It is 42."), .turnFinished(outcome: "ok", latencyMs: 1),
        ])
        #expect(p.stdout == "It is 42.\n")
        #expect(p.stderr.contains("→ calc({\"expression\":\"6*7\"})"))
        #expect(p.stderr.contains("← calc: 42 (3 ms)"))
    }

    @Test func aToolCallMidAnswerBreaksTheLineFirst() {
        let call = ToolCall(id: "c1", name: "time_now", arguments: [:])
        let p = render([.turnStarted(input: "x"), .token("Let me check"), .toolCall(call, module: nil)])
        #expect(p.stdout == "Let me check\n")
    }

    @Test func longToolOutputIsShortenedOnOneLine() {
        let result = ToolResult(callID: "c", name: "fetch", content: String(repeating: "line\n", count: 100))
        let p = render([.toolResult(result, latencyMs: 1)])
        #expect(p.stderr.split(separator: "\n").count == 1)
        #expect(p.stderr.contains("…"))
    }

    @Test func errorsGoToStderrWithTheirHint() {
        let p = render([.error(message: "no model provider is configured", hint: "set ANTHROPIC_API_KEY")])
        #expect(p.stdout == "")
        #expect(p.stderr == "error: no model provider is configured\n  hint: set ANTHROPIC_API_KEY\n")
    }

    @Test func retriesFallbacksAndNoticesAreReportedOnStderr() {
        let p = render([
            .retry(provider: "anthropic", attempt: 2, delaySeconds: 0.5, reason: "rate-limited"),
            .fallback(from: "anthropic:a", to: "local:b", reason: "is down"),
            .notice("starting the local model server"),
        ])
        #expect(p.stderr.contains("anthropic: rate-limited; trying again in 500 ms (attempt 2)"))
        #expect(p.stderr.contains("anthropic:a is down; falling back to local:b"))
        #expect(p.stderr.contains("starting the local model server"))
    }

    @Test func slashCommandOutputGoesToStdout() {
        let p = render([.commandOutput(command: "/help", text: "Commands:\n  /quit")])
        #expect(p.stdout == "Commands:\n  /quit\n")
    }

    @Test func approvalRequestsAreLeftToTheInteractionThatAsks() {
        let r = ApprovalRequest(id: "a1", kind: .moduleInstall, title: "Install module time?", details: [])
        let p = render([.approvalRequired(r)])
        #expect(p.stderr == "", "LineInteraction shows it, in order with its question")
    }

    @Test func colorIsUsedOnlyWhenAsked() {
        let plain = render([.error(message: "boom", hint: nil)], color: false)
        let colored = render([.error(message: "boom", hint: nil)], color: true)
        #expect(!plain.stderr.contains("\u{1B}["))
        #expect(colored.stderr.contains("\u{1B}[31merror: "))
    }

    @Test func jsonModeWritesEveryEventAsOneLineTypeFirst() throws {
        let p = render(
            [.turnStarted(input: "hi"), .token("a\nb"), .notice("n"), .turnFinished(outcome: "ok", latencyMs: 2)],
            style: .json)
        let lines = p.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        for line in lines {
            let v = try JSONValue(parsing: String(line))
            #expect(v.objectValue?.keys.first == "type")
        }
        #expect(p.stderr == "", "JSON mode keeps stderr for nexus's own failures")
        #expect(p.ended.last == true)
    }
}
