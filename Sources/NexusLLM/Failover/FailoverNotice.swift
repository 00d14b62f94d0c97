import NexusCore

/// Something the failover runner did that a person should see: a retry after a transient failure, or
/// a move to the next model in the task's chain. The orchestrator turns these into `EventKind.retry`
/// and `.fallback`.
public enum FailoverNotice: Sendable, Equatable {
    /// `attempt` is the number of the attempt about to start (2 = first retry).
    case retry(provider: String, attempt: Int, delaySeconds: Double, reason: String)
    /// `from` and `to` are `provider:model`.
    case fallback(from: String, to: String, reason: String)

    /// One line for people: "fake rate-limited; falling back to local:qwen2.5-coder:3b".
    public var message: String {
        switch self {
        case .retry(let p, let attempt, let d, let reason):
            let secs = (d * 10).rounded() / 10
            return "\(p) \(reason); retrying in \(secs) s (attempt \(attempt))"
        case .fallback(let from, let to, let reason):
            let provider = from.split(separator: ":", maxSplits: 1).first.map(String.init) ?? from
            return "\(provider) \(reason); falling back to \(to)"
        }
    }

    /// A short reason for a failure, as used in notices ("rate-limited", "server error 503").
    public static func reason(for e: ProviderError) -> String {
        switch e.kind {
        // A wait longer than the runner honours is why it moved on: say so.
        case .rateLimited(let after?) where after > RetryPolicy().maxRetryAfter:
            "rate-limited (asked to wait \(Seconds.describe(after.rounded())))"
        case .rateLimited: "rate-limited"
        case .server(let s): "server error \(s)"
        case .unauthorized(let env?): "unauthorized (check \(env))"
        case .unauthorized: "unauthorized"
        case .unknownModel: "does not serve this model"
        case .badRequest(let s): "rejected the request (\(s))"
        case .timeout: "timed out"
        case .connection: "unreachable"
        case .streamCut: "cut the answer off"
        case .invalidResponse: "sent an invalid response"
        case .refused: "refused by configuration"
        case .cancelled: "cancelled"
        }
    }
}

/// One model call as it ended: enough for the orchestrator to write one ledger row and one `llmCall`
/// event per attempt (retries and fallbacks included).
public struct AttemptRecord: Sendable, Equatable {
    public var provider: String
    public var model: String
    public var isLocal: Bool
    /// 1 for the first try of this chain entry, 2 for its first retry, …
    public var attempt: Int
    public var latencyMs: Double
    public var tokensIn: Int
    public var tokensOut: Int
    /// The server sent no usage, so `tokensIn`/`tokensOut` come from `TokenEstimate`.
    public var tokensEstimated: Bool
    /// `ok`, `error`, `rate_limited`, `cancelled`, `stream_cut`, or `fallback` (this failure moved the
    /// turn to the next model), as `LLMCallRecord.outcome` expects.
    public var outcome: String
    public var error: ProviderError?
    /// Milliseconds from sending the request to the first streamed text or tool call; nil when none came.
    public var timeToFirstTokenMs: Double?

    public init(
        provider: String, model: String, isLocal: Bool, attempt: Int, latencyMs: Double, tokensIn: Int, tokensOut: Int,
        outcome: String, error: ProviderError?, tokensEstimated: Bool = false, timeToFirstTokenMs: Double? = nil
    ) {
        self.timeToFirstTokenMs = timeToFirstTokenMs
        self.provider = provider
        self.model = model
        self.isLocal = isLocal
        self.attempt = attempt
        self.latencyMs = latencyMs
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.outcome = outcome
        self.error = error
        self.tokensEstimated = tokensEstimated
    }

    public var ref: String { "\(provider):\(model)" }
}
