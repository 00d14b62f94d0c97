import NexusCore

/// Publishes a build stage's `node_entered`/`node_left` with its latency (DESIGN §4.4), so the TUI's
/// pipeline pane and `--json` show plan, generate, validate, repair (n/3), proof, approval, install,
/// credentials and live_test the way they show a chat turn's nodes.
public struct BuildStageTimer: Sendable {
    public let bus: EventBus
    public let turn: Int

    public init(bus: EventBus, turn: Int) {
        self.bus = bus
        self.turn = turn
    }

    public func run<T>(
        _ node: PipelineNode, detail: (T) -> String? = { _ in nil }, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> T
    ) async rethrows -> T {
        bus.publish(turn: turn, .nodeEntered(node))
        let start = MonotonicClock.nanoseconds()
        do {
            let value = try await body()
            bus.publish(
                turn: turn, .nodeLeft(node, latencyMs: MonotonicClock.millisSince(start), detail: detail(value)))
            return value
        } catch {
            bus.publish(turn: turn, .nodeLeft(node, latencyMs: MonotonicClock.millisSince(start), detail: "failed"))
            throw error
        }
    }

    public func notice(_ text: String) { bus.publish(turn: turn, .notice(text)) }
}
