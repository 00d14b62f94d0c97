import NexusCore
import NexusLLM
import NexusModules
import NexusOrchestrator
import NexusStore
import NexusVault

/// Wires one session: providers, the vault and its redactor, modules, the orchestrator, and what must
/// stop at exit. The composition root decides nothing of its own; each piece is built by its layer.
enum SessionFactory {
    final class Parts: Sendable {
        let orchestrator: Orchestrator
        let localServer: LocalModelServer
        let modules: ModuleCommands
        init(orchestrator: Orchestrator, localServer: LocalModelServer, modules: ModuleCommands) {
            self.orchestrator = orchestrator
            self.localServer = localServer
            self.modules = modules
        }
    }

    static func make(context: NexusContext, interaction: any InteractionHandler) async throws -> Parts {
        var providers: [any LLMProvider] = []
        for p in context.config.providers {
            do {
                providers.append(try ProviderFactory.make(config: p, environment: context.environment))
            } catch {
                Terminal.warn("provider \(p.name): \(error.userFacingDescription)")
            }
        }
        let vault = VaultAccess.openIfSealed(context)
        var credentials: CredentialProvider?
        var scrub: @Sendable (String) -> String = { $0 }
        if let store = vault {
            credentials = { @Sendable module, wanted in try store.environment(for: module, wants: wanted) }
            scrub = { @Sendable text in store.redactor.redact(text) }
        }
        let modules = ModuleCommands.open(
            database: context.database, bus: context.bus, modulesDirectory: context.paths.modules,
            logsDirectory: context.paths.logs, builtinDirectory: BuiltinModules.locate(environment: context.environment),
            idleShutdownSeconds: context.config.modules.idleShutdownSeconds,
            callTimeoutSeconds: context.config.modules.callTimeoutSeconds,
            launcher: ModuleLaunchers.make(context), credentials: credentials, redact: scrub)
        let local = LocalModelServer(home: context.paths.home, bus: context.bus)
        let gateway = ProviderGateway(providers: providers, config: context.config, bus: context.bus, localServer: local)
        let orchestrator = try Orchestrator(
            context: context, gateway: gateway, toolSources: [BuiltinTools(), ModuleToolSource(host: modules.host)],
            interaction: interaction, providers: providers, scrub: scrub)
        try orchestrator.registerModuleCommands(modules)
        try orchestrator.registerBuildCommands(BuildWiring.setup(context, modules: modules, redact: scrub))
        if let vault { try orchestrator.registerCredentialCommands(vault) }
        return Parts(orchestrator: orchestrator, localServer: local, modules: modules)
    }

    static func shutdown(_ parts: Parts) async {
        await parts.orchestrator.shutdown()
        await parts.modules.host.shutdownAll()
        await parts.localServer.stop()
    }
}

/// Opens the vault for a chat session only when it holds something: a session never mints a key.
enum VaultAccess {
    static func openIfSealed(_ ctx: NexusContext) -> CredentialStore? {
        let sealed = (try? ctx.database.query("SELECT COUNT(*) FROM vault_meta").first?.int(0)) ?? 0
        guard sealed > 0 else { return nil }
        let keys = VaultKeys(environment: ctx.environment, configDir: ctx.paths.configDir)
        do {
            return try CredentialStore.open(database: ctx.database, keys: keys, bus: ctx.bus)
        } catch {
            Terminal.warn("vault: \(error.userMessage) — modules get no credentials this session")
            return nil
        }
    }
}

/// How module processes are started: through the jailer (this binary re-executed) wherever the
/// machine gives isolation; directly, with an emptied environment, only where `NEXUS_SANDBOX=off`
/// says so (a machine without namespaces where the user accepted that).
enum ModuleLaunchers {
    static func make(_ ctx: NexusContext) -> any ModuleLauncher {
        if ctx.environment["NEXUS_SANDBOX"] == "off" { return DirectLauncher() }
        var shared: [String] = []
        var env: [String: String] = [:]
        if let builtins = BuiltinModules.locate(environment: ctx.environment) {
            let templates = builtins.droppingLastComponent + "/templates/python"
            if FileSystem.kind(of: templates) == .directory {
                shared.append(templates)
                env["PYTHONPATH"] = templates
            }
        }
        return JailedLauncher(
            nexusExecutable: SelfExecutable.path, memoryMB: ctx.config.sandbox.integration.memoryMB,
            sharedReadOnly: shared, sharedEnvironment: env)
    }
}

extension String {
    var droppingLastComponent: String {
        guard let slash = lastIndex(of: "/"), slash != startIndex else { return "/" }
        return String(self[..<slash])
    }
}
