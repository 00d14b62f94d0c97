import NexusCore
import NexusModules
import NexusOrchestrator
import NexusStore

/// What the admin API acts on: the running session's orchestrator, its modules and a way to re-read
/// nexus.toml. Every change goes through the same calls the slash commands use (`setRoute` is `/model`'s),
/// so a running TUI shows it at once.
public struct AdminBackend: Sendable {
    public let orchestrator: Orchestrator
    /// nil when the session runs no module host (tests of routing alone): module routes answer 404.
    public let modules: ModuleCommands?
    /// Loads nexus.toml again, as at start (`POST /v1/reconfigure`).
    public let loadConfig: @Sendable () throws -> NexusConfig

    public init(
        orchestrator: Orchestrator, modules: ModuleCommands?, loadConfig: @escaping @Sendable () throws -> NexusConfig
    ) {
        self.orchestrator = orchestrator
        self.modules = modules
        self.loadConfig = loadConfig
    }

    func routing() async -> JSONValue {
        let rows = await orchestrator.routeEntries()
        return .object(
            JSONObject([
                (
                    "routes",
                    .array(
                        rows.map { r in
                            [
                                "task_type": .string(r.taskType), "tier": .string(r.tier),
                                "chain": .array(r.chain.map { .string($0) }), "source": .string(r.source),
                            ]
                        })
                )
            ]))
    }

    func models() -> JSONValue {
        let providers = orchestrator.configuredProviders.map { p -> JSONValue in
            [
                "name": .string(p.name), "kind": .string(p.kind.rawValue),
                "local": .bool(ConfigDecoder.isOnThisMachine(p)), "models": .array(p.models.map { .string($0) }),
            ]
        }
        return ["providers": .array(providers)]
    }

    func moduleList() async -> JSONValue {
        guard let modules else { return ["modules": []] }
        let rows = await modules.host.statusRows()
        return [
            "modules": .array(
                rows.map { r in
                    var o = JSONObject([
                        ("name", .string(r.name)), ("version", .string(r.version)),
                        ("state", .string(r.state.rawValue)),
                        ("health", .string(r.health.rawValue)), ("running", .bool(r.running)),
                        ("calls", .number(Double(r.calls))), ("error_rate", .number(r.errorRate)),
                    ])
                    if let p = r.p50Ms { o["p50_ms"] = .number(p) }
                    if let t = r.toolCount { o["tools"] = .number(Double(t)) }
                    return .object(o)
                })
        ]
    }

    func ledger(since: Double, limit: Int) async throws -> JSONValue {
        let rows = try await orchestrator.ledgerEntries(since: since, limit: limit)
        return [
            "calls": .array(
                rows.map { e in
                    let r = e.record
                    return [
                        "id": .number(Double(e.id)), "created_at": .number(e.createdAt),
                        "session_id": e.session.map { .string($0) } ?? .null, "turn": .number(Double(e.turn)),
                        "service": .string(r.service), "task_type": .string(r.taskType),
                        "provider": .string(r.provider), "model": .string(r.model),
                        "module_context": r.moduleContext.map { .string($0) } ?? .null, "tier": .string(r.tier),
                        "tokens_in": .number(Double(r.tokensIn)), "tokens_out": .number(Double(r.tokensOut)),
                        "latency_ms": .number(r.latencyMs), "cost_usd": .number(r.costUSD),
                        "outcome": .string(r.outcome), "local": .bool(r.isLocal),
                        "tokens_estimated": .bool(r.tokensEstimated),
                    ]
                })
        ]
    }
}
