/// One station of a pipeline as a small type of its own (DESIGN §4.4): a chat turn's seven nodes
/// (`InputNode` … `SynthesisNode`) and a module build's stages share this shape, so each can be found by
/// its name, read on its own and run by the same `PipelineNodeTimer`, which announces it with
/// `node_entered`/`node_left` and its latency. A stage holds what it needs from the session when it is
/// made; `run` does the work and returns what the next stage takes.
public protocol PipelineStage: Sendable {
    associatedtype Input: Sendable
    associatedtype Output: Sendable

    /// The node this stage lights up in the pipeline pane and labels in events and metrics.
    var node: PipelineNode { get }

    func run(_ input: Input) async throws -> Output

    /// The short text `node_left` carries (`"3 tools"`, `"code_generation"`), or nil.
    func detail(_ output: Output) -> String?
}

extension PipelineStage {
    public func detail(_ output: Output) -> String? { nil }
}

extension PipelineNodeTimer {
    /// Runs `stage` on `input`, timed and announced like every node (`node_left` says "failed" when it throws).
    @discardableResult
    public func run<S: PipelineStage>(
        _ stage: S, _ input: S.Input, isolation: isolated (any Actor)? = #isolation
    ) async throws -> S.Output {
        try await run(stage.node, detail: { stage.detail($0) }, isolation: isolation) { try await stage.run(input) }
    }
}
