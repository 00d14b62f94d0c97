import NexusCore
import NexusOrchestrator
import NexusTesting
import Testing

/// `/route` says what it shows: before any turn it said only "no turn yet", then a table without a word about
/// its columns.
@Suite struct RouteReportSpecs {
    @Test func routeNamesTheLastTurnAndWhatItsTableHolds() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "hello")])
        let nexus = try InProcessNexus(config: TurnLoopSpecs.config(), providers: [fake], tools: [])
        func route() async -> String {
            let (_, events) = await nexus.run("/route")
            return events.compactMap { if case .commandOutput(_, let t) = $0.kind { t } else { nil } }.joined()
        }
        let before = await route()
        #expect(before.hasPrefix("last turn: none yet\n"), "\(before)")
        #expect(before.contains("Model per task type (tier, then the models in failover order):"), "\(before)")
        _ = await nexus.run("hi")
        let after = await route()
        await nexus.close()
        #expect(after.hasPrefix("last turn: simple_query"), "\(after)")
    }
}
