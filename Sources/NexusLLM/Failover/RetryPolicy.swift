import NexusCore

/// How often and how patiently one provider is retried: exponential backoff with full jitter
/// (0.5 s, 1 s, 2 s … each drawn uniformly from [0, step], capped), and the server's Retry-After
/// honoured when it gives one, up to a cap; a longer wait moves on to the next model instead.
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt (`max_retries` in `[providers.NAME]`).
    public var maxRetries: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// The longest Retry-After worth waiting for; beyond it the runner falls back at once.
    public var maxRetryAfter: Double

    public init(maxRetries: Int = 3, baseDelay: Double = 0.5, maxDelay: Double = 8, maxRetryAfter: Double = 30) {
        self.maxRetries = max(0, maxRetries)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    public init(config: ProviderConfig) {
        self.init(maxRetries: config.maxRetries)
    }

    /// Seconds to wait before retry number `retry` (1-based) after `error`, or nil when not to retry.
    /// `random(x)` draws from [0, x]; tests pass a fixed one.
    public func delay(
        forRetry retry: Int, after error: ProviderError,
        random: (Double) -> Double = { Double.random(in: 0...max(0, $0)) }
    ) -> Double? {
        guard error.isRetryable, retry >= 1, retry <= maxRetries else { return nil }
        if case .rateLimited(let after?) = error.kind {
            return after <= maxRetryAfter ? after : nil
        }
        let step = min(maxDelay, baseDelay * Double(1 << min(20, retry - 1)))
        return random(step)
    }
}
