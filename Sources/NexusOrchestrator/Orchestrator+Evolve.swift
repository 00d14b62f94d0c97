import NexusCore
import NexusEvolution

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

    /// The model the build route (`code_generation`) would use now, or the error that says how to configure one.
    public func buildRouteModel() throws -> String {
        try selectChain(for: .codeGeneration, turn: 0).first?.description ?? "-"
    }
}
