import NexusCore
import Testing

/// A pipeline stage, chat node or build stage, is announced the same way by `PipelineNodeTimer`:
/// `node_entered`, then `node_left` with its latency and the stage's own detail — or "failed" when it throws.
@Suite struct PipelineStageSpecs {
    struct Doubler: PipelineStage {
        var node: PipelineNode { .toolPicker }
        func run(_ input: Int) async throws -> Int {
            if input < 0 { throw Refused() }
            return input * 2
        }
        func detail(_ output: Int) -> String? { "\(output) tools" }
    }

    struct Refused: Error {}

    static func announced(_ bus: EventBus, _ sub: EventSubscription) async -> [EventKind] {
        bus.finish()
        var kinds: [EventKind] = []
        for await e in sub.events { kinds.append(e.kind) }
        return kinds
    }

    @Test func aStageIsAnnouncedWithItsNodeAndTheDetailOfWhatItReturned() async throws {
        let bus = EventBus()
        let sub = bus.subscribe(.lossless)
        let value = try await PipelineNodeTimer(bus: bus, turn: 7).run(Doubler(), 21)
        #expect(value == 42)
        let kinds = await Self.announced(bus, sub)
        #expect(kinds.count == 2)
        guard kinds.count == 2, case .nodeEntered(let entered) = kinds[0],
            case .nodeLeft(let left, let ms, let detail) = kinds[1]
        else { return }
        #expect(entered == .toolPicker && left == .toolPicker)
        #expect(ms >= 0)
        #expect(detail == "42 tools")
    }

    @Test func aStageThatThrowsLeavesItsNodeMarkedFailedAndTheErrorGoesOn() async {
        let bus = EventBus()
        let sub = bus.subscribe(.lossless)
        await #expect(throws: Refused.self) { try await PipelineNodeTimer(bus: bus, turn: 1).run(Doubler(), -1) }
        let kinds = await Self.announced(bus, sub)
        guard kinds.count == 2, case .nodeLeft(_, _, let detail) = kinds[1] else {
            Issue.record("expected entered and left, got \(kinds)")
            return
        }
        #expect(detail == "failed")
    }
}
