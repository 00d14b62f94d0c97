import NexusCore

/// Spending over a time window, for the budget guard and `nexus budget`.
extension LedgerRepository {
    /// What the calls made since `since` (Unix seconds) cost, in USD: every session's, or all but
    /// `excludingSession`'s (whose calls the caller counts itself), for one task type or all.
    public func spent(since: Double, excludingSession: String? = nil, taskType: String? = nil) throws -> Double {
        var sql = "SELECT SUM(cost_usd) FROM llm_calls WHERE created_at >= ?"
        var params: [SQLValue] = [.double(since)]
        if let excludingSession {
            sql += " AND (session_id IS NULL OR session_id != ?)"
            params.append(.text(excludingSession))
        }
        if let taskType {
            sql += " AND task_type = ?"
            params.append(.text(taskType))
        }
        return try db.query(sql, params).first?.double(0) ?? 0
    }

    /// Spending since `since` per task type, highest first.
    public func spentByTask(since: Double) throws -> [(taskType: String, costUSD: Double)] {
        try db.query(
            "SELECT task_type, SUM(cost_usd) FROM llm_calls WHERE created_at >= ? GROUP BY 1 ORDER BY 2 DESC, 1",
            [.double(since)]
        ).map { ($0.text(0) ?? "?", $0.double(1) ?? 0) }
    }

    /// Spending per module context (`module_context`, the modules whose tool results were in the prompt;
    /// calls with none are grouped under ""), optionally for one session, highest first.
    public func spentByModule(session: String? = nil) throws -> [Total] {
        var sql = """
            SELECT COALESCE(module_context, ''), COUNT(*), SUM(tokens_in), SUM(tokens_out), SUM(cost_usd),
                   MIN(is_local), MAX(tokens_estimated), SUM(outcome <> 'ok')
            FROM llm_calls
            """
        var params: [SQLValue] = []
        if let session {
            sql += " WHERE session_id = ?"
            params.append(.text(session))
        }
        sql += " GROUP BY 1 ORDER BY 5 DESC, 1"
        return try db.query(sql, params).map(Self.total)
    }

    /// The session of the newest ledger row, if any.
    public func latestSession() throws -> String? {
        try db.query("SELECT session_id FROM llm_calls WHERE session_id IS NOT NULL ORDER BY id DESC LIMIT 1")
            .first?.text(0)
    }

    /// Midnight UTC of the day holding `now` (Unix seconds): where "today" starts for `daily_usd`.
    public static func startOfDayUTC(_ now: Double = WallClock.now()) -> Double {
        (now / 86_400).rounded(.down) * 86_400
    }
}
