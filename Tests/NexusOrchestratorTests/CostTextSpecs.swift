import NexusCore
import NexusOrchestrator
import NexusStore
import NexusTesting
import Testing

/// `/cost` reads as English: one call is "1 call" (it said "1 calls" in the summary and every table).
@Suite struct CostTextSpecs {
    @Test func oneCallIsCountedInTheSingular() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "hello")])
        let nexus = try InProcessNexus(config: TurnLoopSpecs.config(), providers: [fake], tools: [])
        _ = await nexus.run("hi")
        // The ledger is written asynchronously: wait for the row.
        let ledger = LedgerRepository(db: nexus.context.database)
        for _ in 0..<200 where ((try? ledger.grandTotal().calls) ?? 0) < 1 {
            try await Task.sleep(for: .milliseconds(10))
        }
        let (_, events) = await nexus.run("/cost")
        let text = events.compactMap { if case .commandOutput(_, let t) = $0.kind { t } else { nil } }.joined()
        await nexus.close()
        #expect(text.contains("This session: 1 call, "), "\(text)")
        #expect(text.contains("   1 call  "), "a table row: \(text)")
        #expect(!text.contains("1 calls"), "\(text)")
    }
}
