import NexusCore

/// The last node of a chat turn: the executor's answer becomes the turn's `final` event (unless the turn
/// was cancelled on the way), which faces print and `--json` scripts read.
struct SynthesisNode: PipelineStage {
    let bus: EventBus
    let turn: Int

    var node: PipelineNode { .synthesis }

    func run(_ answer: String) async throws {
        try Task.checkCancellation()
        bus.publish(turn: turn, .final(text: answer))
    }
}
