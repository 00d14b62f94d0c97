import NexusCore
import NexusStore

/// What the admin API (NexusServer) may read and change in a running session, beside `AgentSession`.
///
/// A route change has exactly one path: `setRoute`, which `/model` calls too, so the TUI, the line REPL
/// and `PUT /v1/routing` can never disagree about what the next call uses.
extension Orchestrator {
    /// One task type's route as the API shows it.
    public struct RouteEntry: Sendable, Equatable {
        public var taskType: String
        public var tier: String
        public var chain: [String]
        /// `override` (set by `/model` or the API), `config` (nexus.toml) or `default`.
        public var source: String
    }

    public func routeEntries() -> [RouteEntry] {
        routes.all().map { t, chain, source in
            RouteEntry(
                taskType: t.rawValue, tier: routes.config.tier(for: t).rawValue, chain: chain.map(\.description),
                source: source.rawValue)
        }
    }

    /// Assigns `chain` to `task` at once and for good (kept in the database): the one call behind `/model`
    /// and `PUT /v1/routing`. Every change is published as `route_changed`, so each face shows the chain the
    /// next call uses at once; `announce` (who asked, when it was not the person at this face) adds a notice.
    public func setRoute(_ task: TaskType, _ chain: [ModelRef], announce: String? = nil) throws -> String {
        guard !chain.isEmpty else { throw NexusError("empty model chain", exit: .usage) }
        for ref in chain where context.config.provider(named: ref.provider) == nil {
            throw NexusError(
                "unknown provider \"\(ref.provider)\"",
                hint: "configured providers: \(context.config.providers.map(\.name).joined(separator: ", "))",
                exit: .usage)
        }
        let before = routeSnapshot()
        try settings.setRoute(task, chain)
        routes.overrides[task] = chain
        let note = routes.config.taskTypes.contains(task) ? "" : " (a new task type)"
        let text = "\(task)\(note) → \(chainText(chain)) (applies to the next call; /model --reset \(task) undoes it)"
        publishRouteChanges(since: before, named: [task], by: announce ?? "/model")
        if let announce { bus.publish(turn: 0, .notice("routing set by \(announce): \(text)")) }
        return text
    }

    /// Every configured task type's chain now, to compare with after a change.
    func routeSnapshot() -> [TaskType: [ModelRef]] {
        Dictionary(routes.all().map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
    }

    /// Publishes `route_changed` for each task type whose chain is no longer what `before` held (those that
    /// follow another's route for want of their own included), then for each of `named` (what was changed,
    /// last, so a face that shows the latest change shows that one), each with the chain it now resolves to.
    func publishRouteChanges(since before: [TaskType: [ModelRef]], named: [TaskType], by: String) {
        let followers = routes.all().filter { t, chain, _ in before[t] != chain && !named.contains(t) }.map(\.0)
        for task in followers.sorted(by: { $0.rawValue < $1.rawValue }) + named {
            let chain = routes.chain(for: task).chain.map(\.description)
            bus.publish(turn: 0, .routeChanged(taskType: task.rawValue, chain: chain, by: by))
        }
    }

    /// The names of the configured providers, for validating a route before `setRoute`.
    public nonisolated var providerNames: [String] { context.config.providers.map(\.name) }

    /// Providers as configured (no network): name, kind, local, models listed in nexus.toml.
    public nonisolated var configuredProviders: [ProviderConfig] { context.config.providers }

    /// Ledger rows written after `since` (Unix seconds).
    public func ledgerEntries(since: Double, limit: Int) throws -> [LedgerRepository.Entry] {
        try ledger.entries(since: since, limit: limit)
    }

    /// Applies a freshly loaded nexus.toml to the running session: `[routing]` and `[tasks]` tiers take
    /// effect at once; sections that need new clients or processes are named as needing a restart.
    /// A route naming a provider this session does not run is refused, and nothing changes.
    public func reconfigure(_ fresh: NexusConfig, announce: String? = nil) throws -> (
        applied: [String], restart: [String]
    ) {
        let running = Set(context.config.providers.map(\.name))
        for (task, chain) in fresh.routing {
            for ref in chain where !running.contains(ref.provider) {
                throw NexusError(
                    "routing.\(task): provider \"\(ref.provider)\" is not running in this session",
                    hint: "providers are read at start: restart nexus to add one", exit: .usage)
            }
        }
        let before = routeSnapshot()
        var next = routes.config
        var applied: [String] = []
        if next.routing != fresh.routing {
            next.routing = fresh.routing
            applied.append("routing")
        }
        if next.taskTiers != fresh.taskTiers {
            next.taskTiers = fresh.taskTiers
            applied.append("tasks")
        }
        routes.config = next
        var restart: [String] = []
        let old = context.config
        if old.providers != fresh.providers { restart.append("providers") }
        if old.pricing != fresh.pricing { restart.append("pricing") }
        if old.sandbox != fresh.sandbox { restart.append("sandbox") }
        if old.modules != fresh.modules { restart.append("modules") }
        if old.server != fresh.server { restart.append("server") }
        publishRouteChanges(since: before, named: [], by: announce ?? "nexus.toml")
        if let announce, !applied.isEmpty {
            bus.publish(turn: 0, .notice("nexus.toml reloaded by \(announce): \(applied.joined(separator: ", "))"))
        }
        return (applied, restart)
    }
}
