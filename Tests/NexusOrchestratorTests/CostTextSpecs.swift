import NexusCore
import NexusOrchestrator
import NexusTesting
import Testing

/// `/cost` reads as English: one call is "1 call" (it said "1 calls" in the summary and every table).
@Suite struct CostTextSpecs {
    @Test func oneCallIsCountedInTheSingular() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "hello")])
        let nexus = try InProcessNexus(config: TurnLoopSpecs.config(), providers: [fake], tools: [])
        _ = await nexus.run("hi")
        let text = try await ModuleAccountingSpecs.costText(nexus, afterLedgerRows: 1)
        await nexus.close()
        #expect(text.contains("This session: 1 call, "), "\(text)")
        #expect(text.contains("   1 call  "), "a table row: \(text)")
        #expect(!text.contains("1 calls"), "\(text)")
    }
}
