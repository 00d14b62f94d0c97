import NexusCore

/// The ledger read the slow way, kept for comparison: `nexus bench turn` times the all-time totals the status
/// snapshot computed by scanning every call before the `llm_call_totals` roll-up (schema step 3) replaced it,
/// and counts the rows a run wrote to check that the ledger missed none.
extension LedgerRepository {
    /// All-time totals by `grouping`, summed over every row of `llm_calls` (no roll-up); highest cost first.
    public func totalsByScan(by grouping: Grouping) throws -> [Total] {
        let key = grouping == .model ? "provider || ':' || model" : grouping.rawValue
        return try db.query(
            """
            SELECT \(key), COUNT(*), SUM(tokens_in), SUM(tokens_out), SUM(cost_usd), MIN(is_local),
                   MAX(tokens_estimated), SUM(outcome <> 'ok')
            FROM llm_calls GROUP BY 1 ORDER BY 5 DESC, 1
            """
        ).map(Self.total)
    }

    /// How many calls are recorded outside session `session` (rows without a session count).
    public func callCount(excludingSession session: String) throws -> Int {
        try db.query("SELECT COUNT(*) FROM llm_calls WHERE session_id IS NOT ?", [.text(session)]).first?.int(0) ?? 0
    }
}
