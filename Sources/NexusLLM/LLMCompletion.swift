import NexusCore

/// A whole answer: the collected stream, for callers that do not show tokens as they arrive
/// (classification, module builds). Streaming stays the primitive; this only gathers it.
public struct LLMCompletion: Sendable, Equatable {
    public var text: String
    public var toolCalls: [ToolCall]
    public var inputTokens: Int
    public var outputTokens: Int
    public var finishReason: String

    public init(
        text: String = "", toolCalls: [ToolCall] = [], inputTokens: Int = 0, outputTokens: Int = 0,
        finishReason: String = ""
    ) {
        self.text = text
        self.toolCalls = toolCalls
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.finishReason = finishReason
    }

    /// Folds one stream event in.
    public mutating func add(_ event: LLMStreamEvent) {
        switch event {
        case .text(let t): text += t
        case .toolCall(let c): toolCalls.append(c)
        case .usage(let i, let o):
            inputTokens = i
            outputTokens = o
        case .finish(let r): finishReason = r
        }
    }

    /// Collects a stream; throws what the stream throws.
    public static func collect(_ stream: AsyncThrowingStream<LLMStreamEvent, any Error>) async throws -> LLMCompletion {
        var c = LLMCompletion()
        for try await e in stream { c.add(e) }
        return c
    }
}

extension LLMProvider {
    /// Streams `request` and returns the whole answer.
    public func complete(_ request: LLMRequest) async throws -> LLMCompletion {
        try await LLMCompletion.collect(stream(request))
    }
}
