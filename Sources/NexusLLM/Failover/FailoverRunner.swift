import NexusCore

/// One entry of a task's fallback chain: a provider, the model to ask it for, and how to retry it.
public struct FailoverCandidate: Sendable {
    public var provider: any LLMProvider
    public var model: String
    public var retryPolicy: RetryPolicy

    public init(provider: any LLMProvider, model: String, retryPolicy: RetryPolicy = RetryPolicy()) {
        self.provider = provider
        self.model = model
        self.retryPolicy = retryPolicy
    }

    /// `provider:model`.
    public var ref: String { "\(provider.name):\(model)" }
}

/// Streams a request through a fallback chain: retries transient failures (429, 5xx, timeouts, dropped
/// connections) with backoff while nothing has been shown yet, then moves to the next model, announcing
/// each step. Once text has reached the caller, a failure is final and reported as an incomplete answer
/// (`.streamCut`): an answer is never silently truncated, and never spliced from two models.
public struct FailoverRunner: Sendable {
    public typealias Sleeper = @Sendable (Double) async throws -> Void

    let sleep: Sleeper

    /// `sleep` waits between retries; tests pass one that records the delays instead of waiting.
    public init(sleep: @escaping Sleeper = { secs in try await Task.sleep(nanoseconds: Seconds.nanoseconds(secs)) }) {
        self.sleep = sleep
    }

    public func stream(
        _ request: LLMRequest, chain: [FailoverCandidate],
        onNotice: @escaping @Sendable (FailoverNotice) -> Void = { _ in },
        onAttemptFinished: @escaping @Sendable (AttemptRecord) -> Void = { _ in }
    ) -> AsyncThrowingStream<LLMStreamEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<LLMStreamEvent, any Error>.makeStream()
        let task = Task {
            do {
                try await run(
                    request, chain: chain, onNotice: onNotice, onAttemptFinished: onAttemptFinished, continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    func run(
        _ request: LLMRequest, chain: [FailoverCandidate], onNotice: @Sendable (FailoverNotice) -> Void,
        onAttemptFinished: @Sendable (AttemptRecord) -> Void,
        _ continuation: AsyncThrowingStream<LLMStreamEvent, any Error>.Continuation
    ) async throws {
        guard !chain.isEmpty else {
            throw ProviderError(.refused, provider: "routing", message: "no model is configured for this task")
        }
        for (index, candidate) in chain.enumerated() {
            var req = request
            req.model = candidate.model
            var attempt = 0
            while true {
                attempt += 1
                let start = MonotonicClock.nanoseconds()
                var shown = false
                var firstTokenMs: Double?
                var usage: (Int, Int)?
                var estimate = TokenEstimate()
                func record(_ outcome: String, _ error: ProviderError?) {
                    // A server that reports no usage (llama.cpp while streaming) gets an estimate, marked so,
                    // once it has answered; a call refused before any answer used no tokens.
                    let estimated = usage == nil && (shown || outcome == "ok")
                    let counted = usage ?? (estimated ? (TokenEstimate.input(req), estimate.output) : (0, 0))
                    onAttemptFinished(
                        AttemptRecord(
                            provider: candidate.provider.name, model: candidate.model,
                            isLocal: candidate.provider.isLocal,
                            attempt: attempt, latencyMs: MonotonicClock.millisSince(start), tokensIn: counted.0,
                            tokensOut: counted.1, outcome: outcome, error: error, tokensEstimated: estimated,
                            timeToFirstTokenMs: firstTokenMs))
                }
                do {
                    for try await event in candidate.provider.stream(req) {
                        switch event {
                        case .text(let t) where !t.isEmpty:
                            if !shown { firstTokenMs = MonotonicClock.millisSince(start) }
                            shown = true
                        case .toolCall:
                            if !shown { firstTokenMs = MonotonicClock.millisSince(start) }
                            shown = true
                        case .usage(let i, let o): usage = (i, o)
                        default: break
                        }
                        estimate.add(event)
                        if case .finish = event, usage == nil {
                            continuation.yield(
                                .usage(inputTokens: TokenEstimate.input(req), outputTokens: estimate.output))
                        }
                        continuation.yield(event)
                    }
                    if Task.isCancelled { throw CancellationError() }
                    record("ok", nil)
                    return
                } catch {
                    var e = FailoverRunner.normalize(error, provider: candidate.provider.name)
                    if Task.isCancelled {
                        e = ProviderError(.cancelled, provider: e.provider, message: "request cancelled")
                    }
                    if e.kind == .cancelled {
                        record("cancelled", e)
                        throw e
                    }
                    if shown {
                        if e.kind != .streamCut {
                            e = ProviderError(
                                .streamCut, provider: e.provider,
                                message:
                                    "the answer is incomplete: \(e.message); what arrived so far was kept but is cut off"
                            )
                        }
                        record("stream_cut", e)
                        throw e
                    }
                    if let delay = candidate.retryPolicy.delay(forRetry: attempt, after: e) {
                        record(FailoverRunner.outcome(for: e), e)
                        onNotice(
                            .retry(
                                provider: candidate.provider.name, attempt: attempt + 1, delaySeconds: delay,
                                reason: FailoverNotice.reason(for: e)))
                        do { try await sleep(delay) } catch {
                            throw ProviderError(.cancelled, provider: e.provider, message: "request cancelled")
                        }
                        continue
                    }
                    if e.allowsFailover, index + 1 < chain.count {
                        record("fallback", e)
                        onNotice(
                            .fallback(
                                from: candidate.ref, to: chain[index + 1].ref, reason: FailoverNotice.reason(for: e)))
                        break
                    }
                    record(FailoverRunner.outcome(for: e), e)
                    throw e
                }
            }
        }
    }

    static func outcome(for e: ProviderError) -> String {
        switch e.kind {
        case .rateLimited: "rate_limited"
        case .cancelled: "cancelled"
        case .streamCut: "stream_cut"
        default: "error"
        }
    }

    static func normalize(_ error: any Error, provider: String) -> ProviderError {
        if let e = error as? ProviderError { return e }
        if error is CancellationError {
            return ProviderError(.cancelled, provider: provider, message: "request cancelled")
        }
        return ProviderError(.invalidResponse, provider: provider, message: String(describing: error))
    }
}
