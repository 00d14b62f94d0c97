import NexusCore

/// The token and cost ledger: one row per model call, tagged as the seed asks (DESIGN §4.4).
public struct LedgerRepository: Sendable {
    public let db: Database
    public init(db: Database) { self.db = db }

    public func record(_ r: LLMCallRecord, session: String?, turn: Int) throws {
        try db.execute(
            """
            INSERT INTO llm_calls (session_id, turn, service, task_type, provider, model, module_context, tier,
                tokens_in, tokens_out, latency_ms, cost_usd, outcome, is_local, tokens_estimated, created_at)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """,
            [
                .optionalText(session), .int(turn), .text(r.service), .text(r.taskType), .text(r.provider),
                .text(r.model), .optionalText(r.moduleContext), .text(r.tier), .int(r.tokensIn), .int(r.tokensOut),
                .double(r.latencyMs), .double(r.costUSD), .text(r.outcome), .int(r.isLocal ? 1 : 0),
                .int(r.tokensEstimated ? 1 : 0), .double(WallClock.now()),
            ])
    }

    /// One aggregate line of `/cost`.
    public struct Total: Sendable, Equatable {
        public var key: String
        /// Every ledger row of the group: answered calls and failed attempts.
        public var calls: Int
        public var tokensIn: Int
        public var tokensOut: Int
        public var costUSD: Double
        /// True when every call in the group ran on a local model (cost 0 because it is free).
        public var allLocal: Bool
        /// True when some call in the group had its tokens estimated (the server reported none).
        public var anyEstimated: Bool = false
        /// Attempts that did not answer (outcome other than `ok`: retried, failed over, cut, cancelled).
        public var failed: Int = 0
        /// Calls that answered.
        public var answered: Int { calls - failed }
    }

    public enum Grouping: String, Sendable {
        case provider, model
        case taskType = "task_type"
        case session = "session_id"
    }

    /// Totals grouped by a column, optionally for one session only; highest cost first. All-time totals
    /// by provider, model or task type come from the `llm_call_totals` roll-up (schema step 3), whose size
    /// does not grow with the number of calls; one session's come from its own rows.
    public func totals(by grouping: Grouping, session: String? = nil) throws -> [Total] {
        let key = grouping == .model ? "provider || ':' || model" : grouping.rawValue
        let sql: String
        var params: [SQLValue] = []
        if let session {
            sql = """
                SELECT \(key), COUNT(*), SUM(tokens_in), SUM(tokens_out), SUM(cost_usd), MIN(is_local),
                       MAX(tokens_estimated), SUM(outcome <> 'ok')
                FROM llm_calls WHERE session_id = ? GROUP BY 1 ORDER BY 5 DESC, 1
                """
            params.append(.text(session))
        } else if grouping == .session {
            sql = """
                SELECT session_id, COUNT(*), SUM(tokens_in), SUM(tokens_out), SUM(cost_usd), MIN(is_local),
                       MAX(tokens_estimated), SUM(outcome <> 'ok')
                FROM llm_calls GROUP BY 1 ORDER BY 5 DESC, 1
                """
        } else {
            sql = """
                SELECT \(key), SUM(calls), SUM(tokens_in), SUM(tokens_out), SUM(cost_usd), MIN(all_local),
                       MAX(any_estimated), SUM(failed)
                FROM llm_call_totals GROUP BY 1 ORDER BY 5 DESC, 1
                """
        }
        return try db.query(sql, params).map(Self.total)
    }

    /// Grand total, optionally for one session.
    public func grandTotal(session: String? = nil) throws -> Total {
        let row: Row?
        if let session {
            row = try db.query(
                """
                SELECT COUNT(*), SUM(tokens_in), SUM(tokens_out), SUM(cost_usd), MIN(is_local), MAX(tokens_estimated),
                       SUM(outcome <> 'ok')
                FROM llm_calls WHERE session_id = ?
                """, [.text(session)]
            ).first
        } else {
            row = try db.query(
                """
                SELECT SUM(calls), SUM(tokens_in), SUM(tokens_out), SUM(cost_usd), MIN(all_local), MAX(any_estimated),
                       SUM(failed)
                FROM llm_call_totals
                """
            ).first
        }
        return Total(
            key: session ?? "all", calls: row?.int(0) ?? 0, tokensIn: row?.int(1) ?? 0, tokensOut: row?.int(2) ?? 0,
            costUSD: row?.double(3) ?? 0, allLocal: (row?.int(4) ?? 1) == 1, anyEstimated: (row?.int(5) ?? 0) == 1,
            failed: row?.int(6) ?? 0)
    }

    static func total(_ row: Row) -> Total {
        Total(
            key: row.text(0) ?? "?", calls: row.int(1) ?? 0, tokensIn: row.int(2) ?? 0,
            tokensOut: row.int(3) ?? 0, costUSD: row.double(4) ?? 0, allLocal: (row.int(5) ?? 0) == 1,
            anyEstimated: (row.int(6) ?? 0) == 1, failed: row.int(7) ?? 0)
    }
}
