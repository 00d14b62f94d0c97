import NexusCore
import NexusEvolution
import NexusLLM

/// What `nexus evolve` needs from a session: the build route's model calls, over this session's own gateway
/// (the same routing, privacy check, failover and ledger as `/build`), each round a turn of its own so its
/// calls are tagged `build:<id>` and its cost is read from the ledger. Nothing here installs anything.
extension Orchestrator {
    /// The model calls of one evolve round, tagged with its build id.
    public func evolveBuildModel(buildID: String) -> any BuildModel {
        let turn = nextTurn()
        return GatewayBuildModel(
            gateway: gateway, chain: { task in try await self.selectChain(for: task, turn: turn) },
            tier: { task in await self.routes.config.tier(for: task) }, turn: turn, session: sessionID,
            buildID: buildID, privacy: privacy, maxTokens: max(8192, context.config.conversation.maxOutputTokens),
            scrub: scrub)
    }

    /// The build routes' models (`code_generation`, `test_validation`, their failover) that are not on this machine
    /// and have no known price: the ledger prices their calls at $0, so `--budget` can never stop a run on them.
    public func unpricedBuildModels() -> [String] {
        // Local-only refuses every model not on this machine: none of them is ever called.
        guard privacy != .localOnly else { return [] }
        let table = PricingTable(config: context.config)
        var out: [String] = []
        for task in [TaskType.codeGeneration, .testValidation] {
            // The route as configured (not selectChain: that announces a selection on the bus).
            for ref in routes.chain(for: task).chain where !out.contains(ref.description) {
                let provider = context.config.providers.first { $0.name == ref.provider }
                let local = provider.map { ConfigDecoder.isOnThisMachine($0) } ?? false
                if !local && table.pricing(provider: ref.provider, model: ref.model) == nil {
                    out.append(ref.description)
                }
            }
        }
        return out
    }

    /// The model the build route (`code_generation`) would use now, or the error that says how to configure one.
    public func buildRouteModel() throws -> String {
        try selectChain(for: .codeGeneration, turn: 0).first?.description ?? "-"
    }
}
