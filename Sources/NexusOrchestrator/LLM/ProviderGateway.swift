import NexusCore

/// The `ModelGateway` over real providers: streams the first model of the chain that answers,
/// publishes a ledger event per call, and reports fallbacks.
public final class ProviderGateway: ModelGateway {
    let providers: [String: any LLMProvider]
    let bus: EventBus
    let price: @Sendable (ModelRef, Int, Int) -> Double

    public init(providers: [any LLMProvider], bus: EventBus, price: @escaping @Sendable (ModelRef, Int, Int) -> Double) {
        var map: [String: any LLMProvider] = [:]
        for p in providers { map[p.name] = p }
        self.providers = map
        self.bus = bus
        self.price = price
    }

    public func complete(
        chain: [ModelRef], request: LLMRequest, context: CallContext, onText: @Sendable (String) -> Void
    ) async throws -> ModelReply {
        var lastError: (any Error)?
        for (i, ref) in chain.enumerated() {
            guard let provider = providers[ref.provider] else {
                lastError = NexusError("provider \(ref.provider) is not configured", hint: "add [providers.\(ref.provider)] to nexus.toml")
                continue
            }
            var req = request
            req.model = ref.model
            let start = MonotonicClock.nanoseconds()
            var text = ""
            var calls: [ToolCall] = []
            var tokensIn = 0
            var tokensOut = 0
            var finish = "stop"
            do {
                for try await ev in provider.stream(req) {
                    switch ev {
                    case .text(let t):
                        text += t
                        onText(t)
                    case .toolCall(let c): calls.append(c)
                    case .usage(let a, let b):
                        tokensIn = a
                        tokensOut = b
                    case .finish(let r): finish = r
                    }
                }
                record(ref, provider, context, tokensIn, tokensOut, start, "ok")
                return ModelReply(
                    text: text, toolCalls: calls, servedBy: ref, tokensIn: tokensIn, tokensOut: tokensOut,
                    finishReason: finish)
            } catch {
                record(ref, provider, context, tokensIn, tokensOut, start, Task.isCancelled ? "cancelled" : "error")
                if Task.isCancelled { throw CancellationError() }
                lastError = error
                if !text.isEmpty { throw error }
                if let p = error as? ProviderError, !p.allowsFailover { throw error }
                if i + 1 < chain.count {
                    bus.publish(
                        turn: context.turn,
                        .fallback(from: ref.description, to: chain[i + 1].description, reason: "\(error)"))
                }
            }
        }
        throw lastError ?? NexusError("no model in the chain answered")
    }

    func record(
        _ ref: ModelRef, _ p: any LLMProvider, _ c: CallContext, _ tin: Int, _ tout: Int, _ start: UInt64,
        _ outcome: String
    ) {
        let cost = p.isLocal ? 0 : price(ref, tin, tout)
        bus.publish(
            turn: c.turn,
            .llmCall(
                LLMCallRecord(
                    service: c.service, taskType: c.taskType.rawValue, provider: ref.provider, model: ref.model,
                    moduleContext: c.moduleContext, tier: c.tier.rawValue, tokensIn: tin, tokensOut: tout,
                    latencyMs: MonotonicClock.millisSince(start), costUSD: cost, outcome: outcome, isLocal: p.isLocal)))
    }
}
