/// One model call, tagged exactly as the seed's per-service tracking asks (DESIGN §4.4), plus cost and outcome.
/// It is the payload of the `llmCall` event and one row of the ledger.
public struct LLMCallRecord: Sendable, Equatable {
    public var service: String
    public var taskType: String
    public var provider: String
    public var model: String
    public var moduleContext: String?
    public var tier: String
    public var tokensIn: Int
    public var tokensOut: Int
    public var latencyMs: Double
    public var costUSD: Double
    /// `ok`, `error`, `rate_limited`, `cancelled`, `stream_cut`, `fallback`.
    public var outcome: String
    public var isLocal: Bool
    /// True when the server reported no usage and the token counts were estimated (llama.cpp's server does
    /// not report usage while streaming). Shown as "~" in `/cost`.
    public var tokensEstimated: Bool
    /// Milliseconds from sending the request to the first streamed token; nil when nothing streamed.
    public var timeToFirstTokenMs: Double?

    public init(
        service: String = "orchestrator", taskType: String, provider: String, model: String,
        moduleContext: String? = nil, tier: String, tokensIn: Int, tokensOut: Int, latencyMs: Double,
        costUSD: Double, outcome: String, isLocal: Bool, tokensEstimated: Bool = false,
        timeToFirstTokenMs: Double? = nil
    ) {
        self.service = service
        self.taskType = taskType
        self.provider = provider
        self.model = model
        self.moduleContext = moduleContext
        self.tier = tier
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.latencyMs = latencyMs
        self.costUSD = costUSD
        self.outcome = outcome
        self.isLocal = isLocal
        self.tokensEstimated = tokensEstimated
        self.timeToFirstTokenMs = timeToFirstTokenMs
    }
}
