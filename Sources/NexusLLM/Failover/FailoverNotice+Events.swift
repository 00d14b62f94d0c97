import NexusCore

extension FailoverNotice {
    /// The event this notice becomes on the bus.
    public var eventKind: EventKind {
        switch self {
        case .retry(let p, let attempt, let delay, let reason):
            .retry(provider: p, attempt: attempt, delaySeconds: delay, reason: reason)
        case .fallback(let from, let to, let reason):
            .fallback(from: from, to: to, reason: reason)
        }
    }
}

extension AttemptRecord {
    /// The ledger row / `llmCall` event for this attempt, priced by `pricing`.
    public func callRecord(
        taskType: String, tier: String, pricing: PricingTable, service: String = "orchestrator",
        moduleContext: String? = nil
    ) -> LLMCallRecord {
        let quote = pricing.quote(
            provider: provider, model: model, isLocal: isLocal, tokensIn: tokensIn, tokensOut: tokensOut)
        return LLMCallRecord(
            service: service, taskType: taskType, provider: provider, model: model, moduleContext: moduleContext,
            tier: tier,
            tokensIn: tokensIn, tokensOut: tokensOut, latencyMs: latencyMs, costUSD: quote.costUSD, outcome: outcome,
            isLocal: isLocal, tokensEstimated: tokensEstimated, timeToFirstTokenMs: timeToFirstTokenMs)
    }
}
