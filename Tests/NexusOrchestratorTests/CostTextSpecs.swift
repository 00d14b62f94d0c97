import NexusCore
import NexusOrchestrator
import NexusTesting
import Testing

/// `/cost` reads as English: one call is "1 call" (it said "1 calls" in the summary and every table), and an
/// attempt that did not answer is not a call (a failover's failed attempt was counted as "1 call").
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

    @Test func aFailoversFailedAttemptIsCountedApartFromTheCallsThatAnswered() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.fail(.server(status: 503), message: "overloaded")])
        let backup = ScriptedProvider(name: "backup", steps: [.reply(text: "from the backup")])
        let nexus = try InProcessNexus(
            config: TurnLoopSpecs.config(routing: "[\"fake:m1\", \"backup:m2\"]"), providers: [fake, backup])
        _ = await nexus.run("hello there")
        let text = try await ModuleAccountingSpecs.costText(nexus, afterLedgerRows: 2)
        await nexus.close()
        #expect(text.contains("This session: 1 call, 1 failed attempt, "), "\(text)")
        #expect(text.contains("All time:     1 call, 1 failed attempt, "), "\(text)")
        let rows = text.split(separator: "\n").map(String.init)
        let failedRow = rows.first { $0.hasPrefix("  fake:m1") }
        #expect(failedRow?.contains("   0 calls") == true, "no answer came from it: \(text)")
        #expect(failedRow?.hasSuffix("  1 failed attempt") == true, "\(text)")
        let answeredRow = rows.first { $0.hasPrefix("  backup:m2") }
        #expect(answeredRow?.contains("   1 call ") == true && answeredRow?.contains("failed") == false, "\(text)")
        #expect(!text.contains("2 calls"), "\(text)")
    }
}
