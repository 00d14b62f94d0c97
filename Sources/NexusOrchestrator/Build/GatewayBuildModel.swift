import NexusCore
import NexusEvolution
import Synchronization

/// The build's model calls over the orchestrator's own gateway: `generate` on the `code_generation` route,
/// `repair` on `test_validation`, each through the same chain selection (privacy mode included), failover
/// and ledger as a chat turn. Calls are tagged `service = "build"`, `module_context = "build:<id>"`, so the
/// proof's tokens and cost come from the ledger rows of exactly this build.
///
/// The reply is read at most `BuildFileSet.Limits.replyBytes`: past that the call is cancelled while it
/// streams and the attempt is refused as too large, instead of holding an unbounded reply in memory.
struct GatewayBuildModel: BuildModel {
    let gateway: any ModelGateway
    let chain: @Sendable (TaskType) async throws -> [ModelRef]
    let tier: @Sendable (TaskType) async -> Tier
    let turn: Int
    let session: String
    let buildID: String
    let maxTokens: Int
    /// The vault's redactor: a secret in the description, the docs or a module's evidence never reaches a model.
    let scrub: @Sendable (String) -> String

    static func task(for stage: BuildStage) -> TaskType { stage == .generate ? .codeGeneration : .testValidation }

    func complete(stage: BuildStage, system: String, prompt: String) async throws -> BuildModelReply {
        let task = Self.task(for: stage)
        let refs = try await chain(task)
        let request = LLMRequest(
            model: refs[0].model, messages: [.system(system), .user(scrub(prompt))], maxTokens: maxTokens,
            temperature: 0.2)
        let ctx = CallContext(
            turn: turn, session: session, taskType: task, tier: await tier(task), service: "build",
            moduleContext: "build:" + buildID)
        let limit = BuildFileSet.Limits.replyBytes
        let received = Mutex<(bytes: Int, over: Bool)>((0, false))
        let gateway = self.gateway
        let call = Task {
            try await gateway.complete(chain: refs, request: request, context: ctx) { piece in
                let over = received.withLock { r -> Bool in
                    r.bytes += piece.utf8.count
                    if r.bytes > limit { r.over = true }
                    return r.over
                }
                if over { withUnsafeCurrentTask { $0?.cancel() } }
            }
        }
        do {
            let reply = try await withTaskCancellationHandler {
                try await call.value
            } onCancel: {
                call.cancel()
            }
            return BuildModelReply(
                text: reply.text, model: reply.servedBy.description, tokensIn: reply.tokensIn,
                tokensOut: reply.tokensOut, truncated: received.withLock { $0.over })
        } catch {
            let (bytes, over) = received.withLock { ($0.bytes, $0.over) }
            // Cut off on purpose: the text is not kept, only how much of it was read.
            if over && !Task.isCancelled {
                return BuildModelReply(
                    text: "", model: refs[0].description, tokensIn: 0, tokensOut: 0, truncated: true, bytes: bytes)
            }
            throw error
        }
    }
}
