/// Times one pipeline node and publishes its `node_entered`/`node_left` with the latency (DESIGN §4.4), so a
/// chat turn's nodes and a module build's stages (plan, generate, validate, repair n/N, proof, approval,
/// install, credentials, live_test) light up the TUI's pipeline pane and `--json` the same way.
public struct PipelineNodeTimer: Sendable {
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
