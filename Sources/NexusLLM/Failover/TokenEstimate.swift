import NexusCore

/// Token counts for a call whose server reported none.
///
/// Why: llama.cpp's server (the local default) ignores `stream_options.include_usage` and sends no usage
/// while streaming, so every local turn would enter the ledger as 0 tokens and the cost pane would say
/// nothing about how much context the conversation uses. Servers that report usage never reach this.
///
/// Output: llama.cpp streams one token per chunk, so the number of non-empty chunks is close to exact;
/// servers that send bigger chunks are covered by the usual ~4 characters per token of BPE vocabularies.
/// Input: ~4 characters per token over everything the prompt carries, plus a few tokens of chat-template
/// framing per message. Calls counted this way are marked `tokensEstimated`.
public struct TokenEstimate {
    static let charactersPerToken = 4
    static let framingTokensPerMessage = 4

    private(set) var chunks = 0
    private(set) var characters = 0

    /// Counts one streamed event of the answer.
    mutating func add(_ event: LLMStreamEvent) {
        switch event {
        case .text(let t) where !t.isEmpty:
            chunks += 1
            characters += t.utf8.count
        case .toolCall(let c):
            chunks += 1
            characters += c.name.utf8.count + c.arguments.serialized.utf8.count
        default: break
        }
    }

    /// The answer's tokens.
    var output: Int { max(chunks, Self.tokens(characters)) }

    /// The prompt's tokens: messages, tool calls and results, and the tool definitions offered.
    public static func input(_ request: LLMRequest) -> Int {
        var characters = 0
        for m in request.messages {
            characters += m.content.utf8.count
            for c in m.toolCalls { characters += c.name.utf8.count + c.arguments.serialized.utf8.count }
        }
        for t in request.tools {
            characters += t.name.utf8.count + t.description.utf8.count + t.inputSchema.serialized.utf8.count
        }
        return tokens(characters) + framingTokensPerMessage * request.messages.count
    }

    static func tokens(_ characters: Int) -> Int { (characters + charactersPerToken - 1) / charactersPerToken }
}
