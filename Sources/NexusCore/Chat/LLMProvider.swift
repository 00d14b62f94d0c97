/// The one thing every model server NEXUS talks to can do: stream a completion for a request.
///
/// It lives in core so the orchestrator depends on the contract, not on HTTP; NexusLLM has one
/// implementation per wire protocol and NexusTesting a scripted one. Streaming is the primitive:
/// a non-streaming answer is the collected stream.
public protocol LLMProvider: Sendable {
    /// The configured provider name (`[providers.NAME]`), used in events and the ledger.
    var name: String { get }
    /// The wire protocol this provider speaks.
    var kind: ProviderKind { get }
    /// True when the endpoint is on this machine (loopback, or marked local by the user).
    var isLocal: Bool { get }

    func stream(_ request: LLMRequest) -> AsyncThrowingStream<LLMStreamEvent, any Error>
    /// The models the server lists, for `/models` and "unknown model" errors.
    func listModels() async throws -> [String]
}

/// The wire protocols NEXUS speaks (`kind` in `[providers.NAME]`).
public enum ProviderKind: String, Sendable, CaseIterable {
    case anthropic, openai, gemini, ollama
}

/// A provider-neutral completion request.
public struct LLMRequest: Sendable {
    public var model: String
    public var messages: [ChatMessage]
    public var tools: [ToolDefinition]
    public var maxTokens: Int
    public var temperature: Double?

    public init(
        model: String, messages: [ChatMessage], tools: [ToolDefinition] = [], maxTokens: Int = 4096,
        temperature: Double? = nil
    ) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.maxTokens = maxTokens
        self.temperature = temperature
    }
}

/// What a provider's stream yields, in order: text as it arrives, complete tool calls, usage, then finish.
public enum LLMStreamEvent: Sendable, Equatable {
    case text(String)
    case toolCall(ToolCall)
    case usage(inputTokens: Int, outputTokens: Int)
    case finish(reason: String)
}

/// Why a provider call failed, classified so retry and failover can decide, and worded so a person can act.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case rateLimited(retryAfterSeconds: Double?)
        case server(status: Int)
        case unauthorized(envVar: String?)
        case unknownModel(available: [String])
        case badRequest(status: Int)
        case timeout
        case connection
        case streamCut
        case invalidResponse
        case refused  // privacy mode or configuration forbids this provider
        case cancelled
    }

    public var kind: Kind
    public var provider: String
    public var message: String

    public init(_ kind: Kind, provider: String, message: String) {
        self.kind = kind
        self.provider = provider
        self.message = message
    }

    /// 429, 5xx, timeouts and dropped connections are worth another try; the rest are not.
    public var isRetryable: Bool {
        switch kind {
        case .rateLimited, .server, .timeout, .connection: true
        default: false
        }
    }

    /// Whether a different model in the fallback chain might succeed.
    public var allowsFailover: Bool {
        switch kind {
        case .cancelled, .badRequest: false
        default: true
        }
    }

    public var description: String { "\(provider): \(message)" }
}
