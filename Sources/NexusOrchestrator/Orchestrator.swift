import NexusCore
import NexusStore
import Synchronization

/// The kernel's front door: runs chat turns through the pipeline and slash commands through the
/// registry, publishing every decision on the bus (DESIGN §2.3). Faces hold it as `any AgentSession`.
public actor Orchestrator: AgentSession {
    public nonisolated let bus: EventBus
    public nonisolated let sessionID: String
    /// The slash commands of this session; faces complete from it, later layers register into it.
    public nonisolated let commands = SlashCommandRegistry()
    /// The provider clients, for `/models` reachability.
    nonisolated let providerClients: [any LLMProvider]
    let context: NexusContext
    let gateway: any ModelGateway
    let toolSources: [any ToolSource]
    let interaction: any InteractionHandler
    /// Turns in which a tool's approval was refused (they finish as `approval_denied`).
    let denials = TurnDenials()
    let history: HistoryRepository
    let settings: SettingsRepository
    let ledger: LedgerRepository
    let classifier: IntentClassifier
    /// Scrubs secrets from every string that leaves toward a model, the history or the screen.
    let scrubber: any SecretScrubber
    var scrub: @Sendable (String) -> String { { [scrubber] in scrubber.redact($0) } }

    var routes: RouteTable
    var privacy: PrivacyMode
    var conversation: [ChatMessage] = []
    var turnCounter = 0
    var lastRoute: (IntentClassifier.Decision, Tier, [ModelRef])?
    private nonisolated let running = Mutex<Task<SubmitOutcome, Never>?>(nil)
    let ledgerWriter: LedgerWriter
    /// Writes nexus could not make (history rows): a notice once per kind, a line in logs/nexus.log each time.
    let lostWrites: LostWriteReporter
    let toolRanking: ToolRanking
    /// What `/build` needs, once the session registers it (Orchestrator+Build).
    nonisolated let buildSlot = BuildSlot()
    /// The isolation tier the sandbox probe found ("A", "B", "C"), for the status line.
    public var sandboxTier: String?

    public func setSandboxTier(_ tier: String?) { sandboxTier = tier }

    public init(
        context: NexusContext, gateway: any ModelGateway, toolSources: [any ToolSource],
        interaction: any InteractionHandler, providers: [any LLMProvider] = [],
        scrubber: any SecretScrubber = NoSecrets()
    ) throws {
        self.providerClients = providers
        self.context = context
        self.bus = context.bus
        self.gateway = gateway
        self.toolSources = toolSources
        self.interaction = interaction
        self.scrubber = scrubber
        self.history = HistoryRepository(db: context.database)
        self.lostWrites = LostWriteReporter(bus: context.bus, logsDirectory: context.paths.logs)
        self.settings = SettingsRepository(db: context.database)
        self.ledger = LedgerRepository(db: context.database)
        self.classifier = IntentClassifier(customKeywords: context.config.taskKeywords)
        self.toolRanking = ToolRanking.make(context: context)
        self.sessionID = Self.newSessionID()
        self.routes = RouteTable(config: context.config, overrides: try settings.routeOverrides())
        let stored = try settings.value("privacy").flatMap(PrivacyMode.init(rawValue:))
        self.privacy =
            context.environment["NEXUS_PRIVACY"].flatMap(PrivacyMode.init(rawValue:)) ?? stored
            ?? context.config.privacy
        try history.startSession(id: sessionID)
        self.ledgerWriter = LedgerWriter.start(context: context, session: sessionID)
        try registerCoreCommands()
        try registerBudgetCommands()
        // Counted while the rest of start-up runs, so the first turn does not read the whole call log.
        let budget = context.config.modules.maxToolsPerTurn - BuiltinTools.definitions.count
        toolRanking.usage?.startReading(ifModuleToolsExceed: budget)
    }

    /// Ends the session: no more events; the ledger has written everything before this returns.
    public func shutdown() async {
        cancelCurrentTurn()
        toolRanking.semantic?.shutdown()
        bus.finish()
        await ledgerWriter.drain()
    }

    // MARK: AgentSession

    public func submit(_ line: String) async -> SubmitOutcome {
        let trimmed = line.trimmingSpaces
        if trimmed.isEmpty { return .done }
        let task = Task { [self] () -> SubmitOutcome in
            if SlashCommandLine.isCommand(trimmed) {
                if self.isBuildCommand(trimmed) { return await self.runBuildCommand(trimmed) }
                return await self.runCommand(trimmed)
            }
            return await self.runTurn(line)
        }
        running.withLock { $0 = task }
        let outcome = await task.value
        running.withLock { $0 = nil }
        return outcome
    }

    public nonisolated func cancelCurrentTurn() {
        running.withLock { $0?.cancel() }
    }

    public nonisolated func completions(for prefix: String) -> [Completion] {
        commandCompletions(prefix)
    }

    public func status() async -> StatusSnapshot {
        var s = StatusSnapshot()
        s.privacy = privacy
        s.providers = context.config.providers.map {
            .init(name: $0.name, kind: $0.kind.rawValue, isLocal: ConfigDecoder.isOnThisMachine($0), reachable: nil)
        }
        s.routing = routes.all().map { ($0.0.rawValue, $0.1.map(\.description).joined(separator: " → ")) }
        func rows(_ g: LedgerRepository.Grouping, _ session: String?) -> [StatusSnapshot.CostRow] {
            // Display only: a ledger that cannot be read shows no rows (the ledger writer reports failed writes).
            ((try? ledger.totals(by: g, session: session)) ?? []).map {
                .init(
                    key: $0.key, tokensIn: $0.tokensIn, tokensOut: $0.tokensOut, costUSD: $0.costUSD,
                    estimated: $0.anyEstimated)
            }
        }
        for source in toolSources {
            guard let modules = source as? ModuleToolSource else { continue }
            s.modules = await modules.host.statusRows().map {
                .init(
                    name: $0.name, health: $0.state == .disabled ? .disabled : $0.health, calls: $0.calls,
                    errorRate: $0.errorRate, p50LatencyMs: $0.p50Ms, lastError: $0.lastError.map(scrub))
            }
        }
        s.sandboxTier = sandboxTier
        s.sessionByProvider = rows(.provider, sessionID)
        s.sessionByTask = rows(.taskType, sessionID)
        s.allTimeByProvider = rows(.provider, nil)
        s.allTimeByTask = rows(.taskType, nil)
        s.sessionByModule = moduleCostRows(session: sessionID)
        s.budget = BudgetReport.statusLine(config: context.config.budget, ledger: ledger, session: sessionID)
        return s
    }

    // MARK: State shared with commands

    func nextTurn() -> Int {
        turnCounter += 1
        return turnCounter
    }

    static func newSessionID() -> String {
        var rng = SystemRandomNumberGenerator()
        let hex = "0123456789abcdef".map { $0 }
        return String((0..<12).map { _ in hex[Int(rng.next() % 16)] })
    }
}
