/// Which request of the build protocol a model call makes; it picks the route.
public enum BuildStage: String, Sendable {
    /// The first attempt, on the `code_generation` route.
    case generate
    /// A retry after a failed gate, on the `test_validation` route.
    case repair
}

/// One model reply to a build request.
public struct BuildModelReply: Sendable {
    public var text: String
    /// `provider:model` that answered.
    public var model: String
    public var tokensIn: Int
    public var tokensOut: Int
    /// True when the reply passed `BuildFileSet.Limits.replyBytes` and was cut off while streaming.
    public var truncated: Bool
    /// Bytes read from the model (more than `text` holds when the reply was cut off).
    public var bytes: Int

    public init(text: String, model: String, tokensIn: Int, tokensOut: Int, truncated: Bool, bytes: Int? = nil) {
        self.text = text
        self.bytes = bytes ?? text.utf8.count
        self.model = model
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.truncated = truncated
    }
}

/// How the build asks a model: the orchestrator implements it over its own model gateway, so a build call
/// goes through the same routing, privacy check, failover and ledger as a chat turn. Evolution never
/// reaches a provider itself (DESIGN §3: arrows point down).
public protocol BuildModel: Sendable {
    func complete(stage: BuildStage, system: String, prompt: String) async throws -> BuildModelReply
}
