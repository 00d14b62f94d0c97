import NexusCore

/// How the executor asks "a model" for a reply: it names the chain and the request, and gets back the
/// whole reply while text streams out through `onText`. Retries, failover, pricing and the ledger
/// event all happen behind this seam (`ProviderGateway`), so the tool loop stays about tools.
public protocol ModelGateway: Sendable {
    func complete(
        chain: [ModelRef], request: LLMRequest, context: CallContext, onText: @Sendable (String) -> Void
    ) async throws -> ModelReply
}

/// The tags a model call carries into its ledger row (DESIGN §4.4), and the privacy mode it runs
/// under: the gateway refuses every non-local provider for a `localOnly` call, whoever made it.
public struct CallContext: Sendable {
    public var turn: Int
    public var session: String
    public var taskType: TaskType
    public var tier: Tier
    public var service: String
    public var moduleContext: String?
    /// Required, so no call site can forget it: `localOnly` keeps the prompt on this machine.
    public var privacy: PrivacyMode

    public init(
        turn: Int, session: String, taskType: TaskType, tier: Tier, privacy: PrivacyMode,
        service: String = "orchestrator", moduleContext: String? = nil
    ) {
        self.privacy = privacy
        self.turn = turn
        self.session = session
        self.taskType = taskType
        self.tier = tier
        self.service = service
        self.moduleContext = moduleContext
    }
}

/// One collected model reply.
public struct ModelReply: Sendable, Equatable {
    public var text: String
    public var toolCalls: [ToolCall]
    public var servedBy: ModelRef
    public var tokensIn: Int
    public var tokensOut: Int
    public var finishReason: String

    public init(
        text: String, toolCalls: [ToolCall], servedBy: ModelRef, tokensIn: Int, tokensOut: Int, finishReason: String
    ) {
        self.text = text
        self.toolCalls = toolCalls
        self.servedBy = servedBy
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.finishReason = finishReason
    }
}
