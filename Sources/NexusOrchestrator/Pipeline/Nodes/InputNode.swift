import NexusCore

/// The first node of a chat turn: the person's line, already scrubbed of secrets (the `turn_started` event
/// shows the same text), enters the pipeline. Its detail is the length the classifier will read.
struct InputNode: PipelineStage {
    var node: PipelineNode { .input }

    func run(_ input: String) async -> String { input }

    func detail(_ output: String) -> String? { "\(output.count) chars" }
}
