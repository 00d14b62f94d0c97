import NexusCore
import NexusEvolution
import NexusOrchestrator
import NexusStore

/// What `nexus evolve` runs on, built from the context and a session: the gate with a named scenario's contract
/// check (the farm server started, its acceptance checks made as tool calls in the sandbox), the session's build
/// route for model calls, the ledger for each round's cost, and the folder its builds are kept in.
enum EvolveWiring {
    static func executor(
        _ ctx: NexusContext, orchestrator: Orchestrator, farm: String, templates: String, template: BuildTemplate
    ) -> EvolveExecutor {
        let gate: @Sendable (String, String) async throws -> GateReport = { scenario, folder in
            let gate = ModuleGate(
                nexusExecutable: SelfExecutable.path, templatesDirectory: templates, home: ctx.paths.home,
                config: ctx.paths.configIsExplicit ? ctx.paths.configFile : nil, sandboxConfig: ctx.config.sandbox,
                contract: FarmContract.hook(
                    farm: farm, launcher: ModuleLaunchers.make(ctx),
                    path: ctx.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", templates: templates,
                    scenario: scenario),
                bus: ctx.bus, maxFolderMB: ctx.config.modules.maxFolderMB)
            return try await gate.run(folder: folder)
        }
        let builds = BuildRepository(db: ctx.database)
        return EvolveExecutor(
            farm: farm, template: template, buildsDirectory: ctx.paths.home + "/evolve/builds",
            maxRepairs: ctx.config.build.maxRepairs,
            model: { id in await orchestrator.evolveBuildModel(buildID: id) }, gate: gate,
            ledger: { id in
                // Display and budget only: a ledger that cannot be read counts as nothing spent yet.
                (try? builds.ledgerTotals(build: id)) ?? (0, 0, 0, 0)
            },
            stages: PipelineNodeTimer(bus: ctx.bus, turn: 0))
    }
}
