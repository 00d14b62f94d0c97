/// `[embeddings]`: where the tool picker's semantic half gets its vectors. Off (lexical picking only) until
/// `url` is set. Never required: an unreachable or slow server costs a turn at most `query_timeout_ms` and one
/// notice, and the picker goes on lexically.
public struct EmbeddingsConfig: Sendable, Equatable {
    /// `openai` (OpenAI-compatible `/v1/embeddings`: OpenAI, llama.cpp's server, scripts/minilm-embed.py) or
    /// `ollama` (`/api/embed`).
    public var api = "openai"
    /// The full endpoint, e.g. http://127.0.0.1:8089/v1/embeddings; empty: semantic ranking off.
    public var url = ""
    public var model = "all-MiniLM-L6-v2"
    /// Name of the environment variable holding the API key, when the endpoint needs one.
    public var apiKeyEnv = ""
    /// How long a turn waits for its query's embedding before picking lexically.
    public var queryTimeoutMs = 100
    public init() {}

    public var enabled: Bool { !url.isEmpty }
}
