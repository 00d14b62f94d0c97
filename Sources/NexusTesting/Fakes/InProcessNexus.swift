import NexusCore
import NexusModules
import NexusOrchestrator
import NexusStore
import NexusVault
import Synchronization

/// A whole nexus session in one process: a temporary home and database, the config you give, the real
/// orchestrator and `ProviderGateway`, and scripted providers, tools and person in place of the world.
///
/// It is the in-memory half of the "same test, in memory or live" pair (the end-to-end tests drive the
/// built binary against `FakeProviderServer`): specifications of the turn loop run here in milliseconds.
public final class InProcessNexus: Sendable {
    public let home: TemporaryDirectory
    public let context: NexusContext
    public let orchestrator: Orchestrator
    /// The module host and installer, when the session hosts modules (a `launcher` was given).
    public let modules: ModuleCommands?
    private let subscription: EventSubscription
    private let recorder: EventRecorder

    /// `config` is nexus.toml text; its providers are answered by `providers` (matched by name). With a
    /// `launcher`, installed modules are hosted by the real `ModuleHost` and offered to the model, their
    /// credentials come from `vault`, and everything leaving the session is scrubbed by `vault`'s redactor.
    public init(
        config: String, providers: [any LLMProvider], tools: [any ToolSource] = [],
        interaction: any InteractionHandler = ScriptedInteraction(), environment: [String: String] = [:],
        vault: (any CredentialVault)? = nil, launcher: PassThroughLauncher? = nil
    ) throws {
        home = TemporaryDirectory(prefix: "nexus-inproc")
        let configFile = home.write("nexus.toml", config)
        let paths = NexusPaths(home: home.path + "/home", configFile: configFile, configIsExplicit: true)
        let loaded = try ConfigLoader.load(text: config, file: configFile, environment: environment)
        try NexusContext.prepareHome(paths)
        let database = try Database(path: paths.database)
        context = NexusContext(
            paths: paths, config: loaded.config, warnings: loaded.warnings, database: database, bus: EventBus(),
            environment: environment)
        subscription = context.bus.subscribe(.lossless)
        recorder = EventRecorder(subscription, bus: context.bus)
        let gateway = BudgetedGateway.wrap(
            ProviderGateway(providers: providers, config: loaded.config, bus: context.bus, localServer: nil),
            context: context, approvals: interaction)
        let scrubber: any SecretScrubber = vault.map { CurrentVaultScrubber($0) } ?? NoSecrets()
        var sources = tools
        if let launcher {
            let modules = ModuleCommands.open(
                database: database, bus: context.bus, modulesDirectory: paths.modules, logsDirectory: paths.logs,
                builtinDirectory: nil, idleShutdownSeconds: loaded.config.modules.idleShutdownSeconds,
                callTimeoutSeconds: loaded.config.modules.callTimeoutSeconds, launcher: launcher,
                credentials: Self.sessionCredentials(vault), redact: { scrubber.redact($0) },
                scrubber: scrubber)
            sources.append(ModuleToolSource(host: modules.host))
            self.modules = modules
        } else {
            modules = nil
        }
        orchestrator = try Orchestrator(
            context: context, gateway: gateway, toolSources: sources, interaction: interaction, providers: providers,
            scrubber: scrubber)
        if let modules { try orchestrator.registerModuleCommands(modules) }
    }

    /// The credentials a session hands the module host, as the composition root wires them: with a vault,
    /// each start gets exactly `environment(for:wants:)` (or its error), whether the vault is empty or not;
    /// without one, a module that declares credentials is refused as `NoVault` refuses it.
    static func sessionCredentials(_ vault: (any CredentialVault)?) -> CredentialProvider {
        guard let vault else { return { module, wanted in try NoVault.environment(for: module, wants: wanted) } }
        return ModuleHost.credentials(from: vault)
    }

    /// Installs `module` the way `nexus modules install FOLDER --yes` does (approved, then started once to
    /// list its tools). Throws with the installer's text when it fails.
    public func install(_ module: FakeMCPModule) async throws {
        guard let modules else { throw NexusError("InProcessNexus: give a launcher to host modules") }
        let folder = module.writeFolder(in: home.path)
        let (text, status) = await modules.execute(["install", folder, "--yes"], approval: ScriptedInteraction())
        guard status == .success else { throw NexusError("install \(module.name): \(text)") }
    }

    /// Runs one line (a turn or a slash command) and returns its outcome and every event it published.
    public func run(_ line: String) async -> (outcome: SubmitOutcome, events: [Event]) {
        let outcome = await orchestrator.submit(line)
        return (outcome, await recorder.drain())
    }

    /// The stored conversation of this session.
    public func history() throws -> [ChatMessage] {
        try HistoryRepository(db: context.database).messages(session: orchestrator.sessionID)
    }

    /// Ends the session: no more events; the ledger is written when this returns.
    public func endSession() async {
        await orchestrator.shutdown()
        await modules?.host.shutdownAll()
    }

    /// Ends the session and removes the home.
    public func close() async {
        await orchestrator.shutdown()
        await modules?.host.shutdownAll()
        subscription.cancelSubscription()
        recorder.stop()
        home.remove()
    }
}

/// Collects a subscription's events as they come; `drain` returns those published so far by planting a
/// marker event and waiting until it arrives (the bus keeps each subscriber's order).
final class EventRecorder: Sendable {
    private let collected = Collected()
    private let task: Task<Void, Never>
    private let bus: EventBus
    private let counter = Mutex(0)

    init(_ subscription: EventSubscription, bus: EventBus) {
        self.bus = bus
        let collected = self.collected
        task = Task {
            for await event in subscription.events { collected.events.withLock { $0.append(event) } }
        }
    }

    func drain() async -> [Event] {
        let marker = counter.withLock { n -> String in
            n += 1
            return "\u{1}in-process-marker-\(n)"
        }
        bus.publish(turn: 0, .notice(marker))
        while true {
            let done = collected.events.withLock { events -> [Event]? in
                guard let i = events.firstIndex(where: { Self.isMarker($0, marker) }) else { return nil }
                let out = Array(events[..<i])
                events.removeFirst(i + 1)
                return out
            }
            if let done { return done }
            // Task.sleep throws only on cancellation, which the caller checks next.
            try? await Task.sleep(nanoseconds: 1_000_000)
        }
    }

    static func isMarker(_ event: Event, _ marker: String) -> Bool {
        if case .notice(let text) = event.kind { return text == marker }
        return false
    }

    func stop() { task.cancel() }

    /// The events seen so far, shared with the reading task.
    final class Collected: Sendable {
        let events = Mutex<[Event]>([])
    }
}
