import NexusCore
import NexusLLM
import NexusModules
import NexusOrchestrator
import NexusPOSIX
import NexusSandbox
import NexusStore
import NexusTelemetry
import NexusVault
import Synchronization

/// Wires one session: providers, the vault and its redactor, modules, the orchestrator, and what must
/// stop at exit. The composition root decides nothing of its own; each piece is built by its layer.
enum SessionFactory {
    final class Parts: Sendable {
        let orchestrator: Orchestrator
        let localServer: LocalModelServer
        let modules: ModuleCommands
        /// The vault's redactor, kept current (empty when the vault is): for writers outside the session.
        let redactor: RedactorHandle
        /// Traces (when `[telemetry] otlp_endpoint` is set) and the module resource sampler.
        let telemetry: SessionTelemetry?
        /// The admin server, when this session serves (AdminWiring).
        let admin = Mutex<AdminWiring.Running?>(nil)
        /// Follows the sandbox audit log into the bus (AuditTailWiring).
        let auditTail = Mutex<SandboxAuditTailer?>(nil)
        init(
            orchestrator: Orchestrator, localServer: LocalModelServer, modules: ModuleCommands,
            redactor: RedactorHandle,
            telemetry: SessionTelemetry? = nil
        ) {
            self.orchestrator = orchestrator
            self.localServer = localServer
            self.modules = modules
            self.redactor = redactor
            self.telemetry = telemetry
        }
    }

    /// `adminPort` (`--admin-port`) or `serve` (`nexus serve`) start the admin server with the session.
    static func make(
        context: NexusContext, interaction: any InteractionHandler, adminPort: Int? = nil, serve: Bool = false
    ) async throws -> Parts {
        var providers: [any LLMProvider] = []
        for p in context.config.providers {
            do {
                providers.append(try ProviderFactory.make(config: p, environment: context.environment))
            } catch {
                Terminal.warn("provider \(p.name): \(error.userFacingDescription)")
            }
        }
        let vault = VaultAccess.openIfSealed(context)
        // A vault first opened by `/modules install` (to store a new module's credentials) serves the
        // rest of the session too: the module starts with them and their values are scrubbed.
        let redactor = RedactorHandle()
        let session = SessionVault(vault, redactor: redactor)
        let credentials = VaultAccess.credentials { session.store }
        let scrub: @Sendable (String) -> String = { redactor.redact($0) }
        let tracer = TelemetryWiring.startTracing(context, redact: scrub)
        let modules = ModuleCommands.open(
            database: context.database, bus: context.bus, modulesDirectory: context.paths.modules,
            logsDirectory: context.paths.logs,
            builtinDirectory: BuiltinModules.locate(environment: context.environment),
            idleShutdownSeconds: context.config.modules.idleShutdownSeconds,
            callTimeoutSeconds: context.config.modules.callTimeoutSeconds,
            launcher: ModuleLaunchers.make(context), credentials: credentials, redact: scrub,
            protected: ModuleLaunchers.protected(context), scrubber: redactor,
            maxFolderMB: context.config.modules.maxFolderMB)
        let local = LocalModelServer(home: context.paths.home, bus: context.bus)
        let gateway = BudgetedGateway.wrap(
            ProviderGateway(providers: providers, config: context.config, bus: context.bus, localServer: local),
            context: context, approvals: interaction)
        let moduleTools = ModuleToolSource(host: modules.host, traceIdentity: tracer?.identity)
        let telemetry = TelemetryWiring.started(tracer: tracer, host: modules.host, bus: context.bus)
        let orchestrator = try Orchestrator(
            context: context, gateway: gateway, toolSources: [BuiltinTools(), moduleTools],
            interaction: interaction, providers: providers, scrubber: redactor)
        let openVault: @Sendable () throws -> CredentialStore = {
            try session.open {
                let keys = VaultKeys(environment: context.environment, configDir: context.paths.configDir)
                return try CredentialStore.open(database: context.database, keys: keys, bus: context.bus)
            }
        }
        try orchestrator.registerModuleCommands(
            modules, workingDirectory: ProcessEnvironment.workingDirectory, vault: openVault)
        try orchestrator.registerBuildCommands(
            BuildWiring.setup(context, modules: modules, redact: scrub, openVault: openVault))
        try orchestrator.registerCredentialCommands(opening: openVault)
        let parts = Parts(
            orchestrator: orchestrator, localServer: local, modules: modules, redactor: redactor,
            telemetry: telemetry)
        let admin = try await AdminWiring.startIfRequested(
            context, parts: parts, portFlag: adminPort, force: serve, stopOnSignals: serve)
        parts.admin.withLock { $0 = admin }
        // Only the metrics and the traces read what other processes' jailers log: a plain chat does not follow it.
        if admin != nil || tracer != nil { parts.auditTail.withLock { $0 = AuditTailWiring.start(context) } }
        return parts
    }

    static func shutdown(_ parts: Parts) async {
        if let admin = parts.admin.withLock({ $0 }) { await admin.server.stop() }
        await parts.auditTail.withLock({ $0 })?.stop()
        await parts.orchestrator.shutdown()
        await parts.telemetry?.shutdown()
        await parts.modules.host.shutdownAll()
        await parts.localServer.stop()
    }
}

/// The session's vault: the one opened at start (when it held something), or the one `/modules install`
/// opened later to store a new module's credentials. Whichever it is feeds the session's redactor.
final class SessionVault: Sendable {
    private let current: Mutex<CredentialStore?>
    private let redactor: RedactorHandle
    init(_ store: CredentialStore?, redactor: RedactorHandle) {
        current = Mutex(store)
        self.redactor = redactor
        store?.attach(redactor)
    }
    var store: CredentialStore? { current.withLock { $0 } }

    /// The open vault, opening it with `make` the first time.
    func open(_ make: () throws -> CredentialStore) throws -> CredentialStore {
        if let s = store { return s }
        let s = try make()
        let (kept, isNew) = current.withLock { held -> (CredentialStore, Bool) in
            if let h = held { return (h, false) }
            held = s
            return (s, true)
        }
        if isNew { kept.attach(redactor) }
        return kept
    }
}

/// Opens the vault for a chat session only when it holds something: a session mints no key to start
/// (`/creds` and `/modules install` open it on first use, as `nexus creds` does).
enum VaultAccess {
    static func openIfSealed(_ ctx: NexusContext) -> CredentialStore? {
        let keys = VaultKeys(environment: ctx.environment, configDir: ctx.paths.configDir)
        do {
            return try CredentialStore.openIfSealed(database: ctx.database, keys: keys, bus: ctx.bus)
        } catch {
            Terminal.warn("vault: \(error.userMessage) — modules get no credentials this session")
            return nil
        }
    }

    /// What modules get from the vault `current()` returns when they start; with no vault (nothing was
    /// ever stored), a module that declares credentials is refused with the `nexus creds set` hint.
    static func credentials(_ current: @escaping @Sendable () -> CredentialStore?) -> CredentialProvider {
        { @Sendable module, wanted in
            guard let store = current() else { return try NoVault.environment(for: module, wants: wanted) }
            return try store.environment(for: module, wants: wanted)
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
        let host = JailedLauncher.Host(
            nexusHome: ctx.paths.home, configFile: ctx.paths.configFile, userHome: ctx.environment["HOME"] ?? "/root")
        return JailedLauncher(
            nexusExecutable: SelfExecutable.path, memoryMB: ctx.config.sandbox.integration.memoryMB,
            cpuSeconds: ctx.config.modules.cpuSeconds, host: host, sharedReadOnly: shared, sharedEnvironment: env)
    }
}

extension ModuleLaunchers {
    /// The paths no module grant may name: the home directory itself, nexus's home and its config.
    static func protected(_ ctx: NexusContext) -> ProtectedPaths {
        ProtectedPaths(
            userHome: ctx.environment["HOME"] ?? "/root", nexusHome: ctx.paths.home,
            configDirectory: ctx.paths.configDir)
    }
}

extension String {
    var droppingLastComponent: String {
        guard let slash = lastIndex(of: "/"), slash != startIndex else { return "/" }
        return String(self[..<slash])
    }
}
