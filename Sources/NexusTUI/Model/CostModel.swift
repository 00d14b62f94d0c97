import NexusCore
import NexusOrchestrator

/// Tokens and cost per provider and per task type, this session and all time, and this session's by module.
///
/// The session's snapshot is the source of truth; each `usage` event is added at once so the pane
/// moves with the conversation, and the next snapshot settles the numbers.
public struct CostModel: Sendable, Equatable {
    public var sessionByProvider: [StatusSnapshot.CostRow] = []
    public var sessionByTask: [StatusSnapshot.CostRow] = []
    public var allTimeByProvider: [StatusSnapshot.CostRow] = []
    public var allTimeByTask: [StatusSnapshot.CostRow] = []
    /// This session's spending by module context ("(none)": calls with no module's results in the prompt).
    public var sessionByModule: [StatusSnapshot.CostRow] = []

    public init() {}

    public mutating func update(from s: StatusSnapshot) {
        sessionByProvider = s.sessionByProvider
        sessionByTask = s.sessionByTask
        allTimeByProvider = s.allTimeByProvider
        allTimeByTask = s.allTimeByTask
        sessionByModule = s.sessionByModule
    }

    public mutating func apply(_ kind: EventKind) {
        guard case .llmCall(let r) = kind else { return }
        Self.add(&sessionByProvider, r.provider, r)
        Self.add(&sessionByTask, r.taskType, r)
        Self.add(&allTimeByProvider, r.provider, r)
        Self.add(&allTimeByTask, r.taskType, r)
        Self.add(&sessionByModule, r.moduleContext ?? "(none)", r)
    }

    static func add(_ rows: inout [StatusSnapshot.CostRow], _ key: String, _ r: LLMCallRecord) {
        if let i = rows.firstIndex(where: { $0.key == key }) {
            rows[i].tokensIn += r.tokensIn
            rows[i].tokensOut += r.tokensOut
            rows[i].costUSD += r.costUSD
            rows[i].estimated = rows[i].estimated || r.tokensEstimated
        } else {
            rows.append(
                .init(
                    key: key, tokensIn: r.tokensIn, tokensOut: r.tokensOut, costUSD: r.costUSD,
                    estimated: r.tokensEstimated))
        }
    }

    public var sessionTotal: StatusSnapshot.CostRow { Self.total(sessionByProvider) }
    public var allTimeTotal: StatusSnapshot.CostRow { Self.total(allTimeByProvider) }

    static func total(_ rows: [StatusSnapshot.CostRow]) -> StatusSnapshot.CostRow {
        rows.reduce(into: StatusSnapshot.CostRow(key: "total", tokensIn: 0, tokensOut: 0, costUSD: 0)) {
            $0.tokensIn += $1.tokensIn
            $0.tokensOut += $1.tokensOut
            $0.costUSD += $1.costUSD
            $0.estimated = $0.estimated || $1.estimated
        }
    }
}
