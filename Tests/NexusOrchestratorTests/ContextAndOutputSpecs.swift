import NexusCore
import NexusOrchestrator
import NexusStore
import NexusTesting
import Testing

/// What the turn loop sends the model and keeps: context trimming, cut tool output, the ledger.
@Suite struct ContextAndOutputSpecs {
    @Test func oldTurnsAreTrimmedToFitTheContextWindowWithANotice() async throws {
        let config = TurnLoopSpecs.config().replacingFirst(
            "max_retries = 0\n", with: "max_retries = 0\ncontext_window = 2000\n")
        let long = String(repeating: "word ", count: 600)
        let fake = ScriptedProvider(name: "fake", steps: (0..<4).map { _ in .reply(text: "ok") })
        let nexus = try InProcessNexus(config: config, providers: [fake])
        var sawNotice = false
        for i in 0..<4 {
            let (_, events) = await nexus.run("turn \(i): \(long)")
            if events.contains(where: {
                if case .notice(let n) = $0.kind { n.contains("context trimmed") } else { false }
            }) {
                sawNotice = true
            }
        }
        #expect(sawNotice)
        let last = try #require(fake.requests.last)
        #expect(last.messages.contains { $0.content.hasPrefix("turn 3:") }, "the newest turn is always sent")
        #expect(!last.messages.contains { $0.content.hasPrefix("turn 0:") }, "the oldest was left out")
        #expect(try nexus.history().count == 8, "trimming never deletes the stored history")
        await nexus.close()
    }

    @Test func aHugeToolResultIsCutBeforeItReachesTheModel() async throws {
        let fake = ScriptedProvider(
            name: "fake", steps: [.reply(text: "", toolCalls: [TurnLoopSpecs.call("dump")]), .reply(text: "ok")])
        let tools = ScriptedToolSource([.init(name: "dump") { _ in (String(repeating: "x", count: 2_000_000), false) }])
        let nexus = try InProcessNexus(config: TurnLoopSpecs.config(), providers: [fake], tools: [tools])
        _ = await nexus.run("dump it")
        let fed = try #require(fake.requests.last?.messages.last)
        #expect(fed.content.count < 200_000)
        #expect(fed.content.contains("left out") || fed.content.contains("cut"))
        await nexus.close()
    }

    @Test func everyModelCallOfATurnIsWrittenToTheLedgerWithItsTags() async throws {
        let fake = ScriptedProvider(
            name: "fake",
            steps: [
                .reply(text: "", toolCalls: [TurnLoopSpecs.call("t")], tokensIn: 100, tokensOut: 7),
                .reply(text: "fine", tokensIn: 120, tokensOut: 3),
            ])
        let tools = ScriptedToolSource([.init(name: "t") { _ in ("r", false) }])
        let nexus = try InProcessNexus(config: TurnLoopSpecs.config(), providers: [fake], tools: [tools])
        let (_, events) = await nexus.run("use the tool")
        let calls = events.compactMap { if case .llmCall(let r) = $0.kind { r } else { nil } }
        #expect(calls.count == 2)
        #expect(calls.map(\.tokensIn) == [100, 120])
        #expect(calls.allSatisfy { $0.provider == "fake" && $0.model == "m1" && $0.outcome == "ok" })
        await nexus.endSession()
        let stored = try LedgerRepository(db: nexus.context.database).grandTotal()
        #expect(stored.calls == 2 && stored.tokensIn == 220 && stored.tokensOut == 10)
        await nexus.close()
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = firstRange(of: target) else { return self }
        var s = self
        s.replaceSubrange(r, with: replacement)
        return s
    }
}
