import NexusCore

/// Times one pipeline node and publishes its entered/left events (DESIGN §4.4), so every turn lights up
/// the TUI's pipeline pane and feeds latency metrics the same way.
struct PipelineStep {
    let bus: EventBus
    let turn: Int

    func run<T>(
        _ node: PipelineNode, detail: (T) -> String? = { _ in nil }, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> T
    ) async rethrows -> T
    {
        bus.publish(turn: turn, .nodeEntered(node))
        let start = MonotonicClock.nanoseconds()
        do {
            let value = try await body()
            bus.publish(turn: turn, .nodeLeft(node, latencyMs: MonotonicClock.millisSince(start), detail: detail(value)))
            return value
        } catch {
            bus.publish(turn: turn, .nodeLeft(node, latencyMs: MonotonicClock.millisSince(start), detail: "failed"))
            throw error
        }
    }
}
