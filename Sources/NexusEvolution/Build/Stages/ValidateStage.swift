import NexusCore

/// The validate stage of a build attempt: the module gate (DESIGN §4.7) on the attempt's folder. Its detail
/// is the verdict (`passed 7 checks`, `failed tests`); a failed check is a result, not an error — only the
/// gate being unable to run throws.
struct ValidateStage: PipelineStage {
    let gate: @Sendable (String) async throws -> GateReport

    var node: PipelineNode { .validate }

    func run(_ folder: String) async throws -> GateReport { try await gate(folder) }

    func detail(_ output: GateReport) -> String? { Self.verdict(output) }

    static func verdict(_ r: GateReport) -> String {
        if r.passed { return "passed \(r.checks.filter(\.passed).count) checks" }
        return "failed " + (r.firstFailure?.name ?? "?")
    }
}
