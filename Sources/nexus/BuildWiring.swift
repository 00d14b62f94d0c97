import NexusCore
import NexusEvolution
import NexusModules
import NexusOrchestrator
import NexusPOSIX
import NexusStore
import NexusVault

/// What a session's `/build` needs, built from the context: the gate, the templates, the builds folder,
/// the vault (opened on first use), and module commands whose processes get the vault's credentials.
enum BuildWiring {
    /// `openVault` is the session's: a vault a build opens (to store a new module's credentials) then
    /// serves the session's modules and redactor too.
    static func setup(
        _ ctx: NexusContext, modules: ModuleCommands, redact: @escaping @Sendable (String) -> String,
        openVault: @escaping @Sendable () throws -> CredentialStore
    ) -> BuildSetup {
        let templates = templatesDirectory(ctx)
        // The gate and its farm hook are made when a build runs it, not at every chat's start: finding the farm and
        // the launcher walks the file system, and most sessions never build (first-prompt start-up, BENCHMARKS.md).
        let gate: @Sendable (String) async throws -> GateReport = { folder in
            let gate = ModuleGate(
                nexusExecutable: SelfExecutable.path, templatesDirectory: templates ?? "", home: ctx.paths.home,
                config: ctx.paths.configIsExplicit ? ctx.paths.configFile : nil, sandboxConfig: ctx.config.sandbox,
                contract: FarmContract.hook(
                    farm: FarmCommand.locate(ctx.environment), launcher: ModuleLaunchers.make(ctx),
                    path: ctx.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", templates: templates),
                bus: ctx.bus, maxFolderMB: ctx.config.modules.maxFolderMB)
            return try await gate.run(folder: folder)
        }
        var setup = BuildSetup(
            modules: modules, gate: gate, templatesDirectory: templates,
            buildsDirectory: ctx.paths.home + "/builds", openVault: openVault,
            liveModules: { store in
                let credentials = VaultAccess.credentials { store }
                return ModuleCommands.open(
                    database: ctx.database, bus: ctx.bus, modulesDirectory: ctx.paths.modules,
                    logsDirectory: ctx.paths.logs,
                    builtinDirectory: BuiltinModules.locate(environment: ctx.environment),
                    idleShutdownSeconds: ctx.config.modules.idleShutdownSeconds,
                    callTimeoutSeconds: ctx.config.modules.callTimeoutSeconds, launcher: ModuleLaunchers.make(ctx),
                    credentials: credentials, redact: redact, protected: ModuleLaunchers.protected(ctx),
                    maxFolderMB: ctx.config.modules.maxFolderMB)
            })
        // The version `nexus evolve` adopted (the base until one is): its lessons go with every build request and
        // its label into the build's record and proof.
        let evolved = EvolvedTemplates(home: ctx.paths.home, db: ctx.database)
        setup.loadTemplate = { dir in try evolved.apply(to: BuildTemplate.load(directory: dir)) }
        return setup
    }

    /// `templates/python` as the gate finds it (NEXUS_TEMPLATES, else beside the built-in modules).
    static func templatesDirectory(_ ctx: NexusContext) -> String? {
        guard let dir = GateTemplates.locate(environment: ctx.environment) else { return nil }
        return FileSystem.kind(of: dir + "/module_template") == .directory ? dir : nil
    }
}
