import NexusCore
import NexusModules
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusOrchestrator

/// The session counts the call log for the usage prior while it starts (`ModuleUsage.startReading`), and its very
/// first turn has the prior: two chat modules offer the same tool, the budget has room for one.
@Suite(.serialized) struct UsageReadAtStartSpecs {
    static func session(usagePrior: Bool = true, provider: ScriptedProvider) throws -> InProcessNexus {
        try InProcessNexus(
            config: TurnLoopSpecs.config(extra: "[modules]\nmax_tools_per_turn = 1\nusage_prior = \(usagePrior)"),
            providers: [provider], launcher: PassThroughLauncher(mode: .inProcess))
    }

    @Test func aSessionOverAHomeWithModulesCountsTheCallLogBeforeAnyTurn() async throws {
        let nexus = try Self.session(provider: ScriptedProvider(name: "fake", steps: []))
        try await nexus.install(UsagePriorSpecs.chat("zeta_chat"))
        let registry = ModuleRegistry(database: nexus.context.database)
        for _ in 0..<3 {
            try registry.recordCall(module: "zeta_chat", tool: "send_message", latencyMs: 1, outcome: "ok", error: nil)
        }
        // The next session on this home, as `nexus -p` or a chat starts it.
        let next = try Orchestrator(
            context: nexus.context,
            gateway: ProviderGateway(
                providers: [], config: nexus.context.config, bus: nexus.context.bus, localServer: nil),
            toolSources: [], interaction: ScriptedInteraction())
        let usage = try #require(await next.toolRanking.usage)
        let start = MonotonicClock.nanoseconds()
        while !usage.isCounted && MonotonicClock.millisSince(start) < 10_000 { Pause.milliseconds(1) }
        #expect(usage.isCounted, "no turn asked; start-up counted it")
        #expect(usage.current().visits == ["zeta_chat": 1], "three calls in one go are one visit (ModuleUsage)")
        await next.shutdown()
        await nexus.close()
    }

    @Test func theFirstTurnOfASessionHasThePrior() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "Done.")])
        let nexus = try Self.session(provider: fake)
        try await nexus.install(UsagePriorSpecs.chat("alpha_chat"))
        try await nexus.install(UsagePriorSpecs.chat("zeta_chat"))
        let registry = ModuleRegistry(database: nexus.context.database)
        for _ in 0..<3 {
            try registry.recordCall(module: "zeta_chat", tool: "send_message", latencyMs: 1, outcome: "ok", error: nil)
        }
        _ = await nexus.run("tell the channel the deploy is done")
        await nexus.close()
        let offered = (fake.requests.first?.tools.map(\.name) ?? []).filter { $0.contains("__") }
        #expect(offered == ["zeta_chat__send_message"], "\(offered)")
    }
}
