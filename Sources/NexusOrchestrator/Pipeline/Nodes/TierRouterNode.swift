import NexusCore

/// The tier router node: which tier (standard, heavy, ultra) a task type runs at, from the config.
struct TierRouterNode: PipelineStage {
    let routes: RouteTable

    var node: PipelineNode { .tierRouter }

    func run(_ task: TaskType) async -> Tier { routes.config.tier(for: task) }

    func detail(_ output: Tier) -> String? { output.rawValue }
}
