import NexusCore

/// The approval stage of a build: the person sees the install request with the build's proof (files,
/// checks, hosts, credentials, sha256, cost) and says yes or no. The handler is the turn's
/// `PublishedApproval`, so the request and the answer are announced like a tool's.
struct ApprovalStage: PipelineStage {
    let approval: any ApprovalHandler

    var node: PipelineNode { .approval }

    func run(_ request: ApprovalRequest) async -> ApprovalDecision { await approval.decide(request) }

    func detail(_ output: ApprovalDecision) -> String? { output.rawValue }
}
