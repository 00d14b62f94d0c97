import NexusCore
import Testing

@testable import NexusREPL

/// Approvals in line mode: answered by --approve, or by the next input line.
@Suite struct LineInteractionSpecs {
    let request = ApprovalRequest(id: "a", kind: .sensitiveTool, title: "Run delete_repo?", details: [])

    /// Runs `body` with an interaction reading `answers` from a real pipe; returns what it wrote to stderr.
    @discardableResult
    func withInteraction(
        _ policy: LineInteraction.Policy, answers: String, _ body: (LineInteraction) async -> Void
    ) async -> String {
        let input = PipeCapture()
        input.feed(Array(answers.utf8))
        input.closeWriteEnd()
        let err = PipeCapture()
        let i = LineInteraction(policy: policy, source: PipedLineSource(fd: input.readEnd), err: OutputSink(fd: err.writeEnd))
        await body(i)
        withExtendedLifetime(input) {}
        return err.drain()
    }

    @Test func yesAndNoPoliciesAnswerWithoutAsking() async {
        let asked = await withInteraction(.yes, answers: "") { i in
            #expect(await i.decide(request) == .yes)
            #expect(!i.anyDenied)
        }
        #expect(asked == "")
        await withInteraction(.no, answers: "") { i in
            #expect(await i.decide(request) == .no)
            #expect(i.anyDenied, "a refusal makes a scripted run exit 3")
        }
    }

    @Test func askReadsTheAnswerFromTheNextLine() async {
        let asked = await withInteraction(.ask, answers: " Y \nno\n") { i in
            #expect(await i.decide(request) == .yes)
            #expect(await i.decide(request) == .no)
        }
        #expect(asked.contains("approve? [y]es / [n]o / [a]lways"))
    }

    @Test func alwaysIsRememberedForTheSameRequest() async {
        await withInteraction(.ask, answers: "always\n") { i in
            #expect(await i.decide(request) == .always)
            #expect(await i.decide(request) == .yes, "asked once; the input has no second answer")
        }
    }

    @Test func endOfInputCountsAsNo() async {
        await withInteraction(.ask, answers: "") { i in
            #expect(await i.decide(request) == .no)
            #expect(i.anyDenied)
        }
    }

    @Test func secretsAreAskedOnlyWhenAPersonCanAnswer() async {
        await withInteraction(.ask, answers: "s3cret\n") { i in
            #expect(await i.askSecret(SecretPrompt(module: "weather", name: "api_key")) == "s3cret")
        }
        await withInteraction(.yes, answers: "s3cret\n") { i in
            #expect(await i.askSecret(SecretPrompt(module: "weather", name: "api_key")) == nil)
        }
    }
}
