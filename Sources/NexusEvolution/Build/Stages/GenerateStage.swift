import NexusCore

/// The model call of one build attempt: `generate` for the first (on the `code_generation` route), `repair`
/// for each later one (on `test_validation`, its detail `n/N`), with the build protocol's system message
/// and the attempt's prompt. What comes back is parsed and gated by `BuildLoop`.
struct GenerateStage: PipelineStage {
    let model: any BuildModel
    let stage: BuildStage
    /// Which repair this is and how many are allowed (`1/3`); nil for the first attempt.
    let repair: (number: Int, of: Int)?

    var node: PipelineNode { stage == .generate ? .generate : .repair }

    func run(_ prompt: String) async throws -> BuildModelReply {
        try await model.complete(stage: stage, system: BuildPrompt.system(), prompt: prompt)
    }

    func detail(_ output: BuildModelReply) -> String? { repair.map { "\($0.number)/\($0.of)" } }
}
