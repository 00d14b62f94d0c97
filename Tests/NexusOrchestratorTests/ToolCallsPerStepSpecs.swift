import NexusCore
import NexusOrchestrator
import NexusTesting
import Synchronization
import Testing

/// A model reply is hostile input: one reply asking for hundreds of tool calls ran every one of them (real module
/// calls, an approval question for each sensitive one). Now `[conversation] max_tool_calls_per_step` run; the
/// model hears "not run" for each of the rest, and the person a notice.
@Suite struct ToolCallsPerStepSpecs {
    @Test func aReplyAskingForMoreToolCallsThanTheCapRunsOnlyTheCap() async throws {
        let calls = (0..<40).map { TurnLoopSpecs.call("echo", ["n": .number(Double($0))], id: "c\($0)") }
        let fake = ScriptedProvider(
            name: "fake", steps: [.reply(text: "", toolCalls: calls), .reply(text: "done")])
        let ran = Mutex(0)
        let tools = ScriptedToolSource([
            .init(name: "echo") { _ in
                ran.withLock { $0 += 1 }
                return ("ok", false)
            }
        ])
        let config = TurnLoopSpecs.config(extra: "[conversation]\nmax_tool_calls_per_step = 12\n")
        let nexus = try InProcessNexus(config: config, providers: [fake], tools: [tools])
        let (outcome, events) = await nexus.run("echo forty times")
        await nexus.close()
        #expect(outcome == .done)
        #expect(ran.withLock { $0 } == 12)
        let shown = events.filter { if case .toolCall = $0.kind { true } else { false } }
        #expect(shown.count == 12, "only the calls that ran are shown")
        let notices = events.compactMap { if case .notice(let n) = $0.kind { n } else { nil } }
        #expect(
            notices.contains { $0.contains("asked for 40 tool calls") && $0.contains("max_tool_calls_per_step") },
            "\(notices)")
        // Every call got an answer, in order: 12 results, then 28 "not run".
        let results = fake.requests.last?.messages.filter { $0.role == .tool } ?? []
        #expect(results.count == 40)
        #expect(results.prefix(12).allSatisfy { $0.content == "ok" })
        #expect(results.suffix(28).allSatisfy { $0.content.hasPrefix("not run: at most 12 tool calls") })
    }
}
