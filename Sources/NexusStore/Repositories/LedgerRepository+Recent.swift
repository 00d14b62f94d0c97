import NexusCore

/// The ledger's rows one by one, newest last, for `GET /v1/ledger?since=` (issue 16).
extension LedgerRepository {
    /// One stored model call with when it was written (Unix seconds) and its row id.
    public struct Entry: Sendable, Equatable {
        public var id: Int
        public var createdAt: Double
        public var session: String?
        public var turn: Int
        public var record: LLMCallRecord
    }

    /// Calls written after `since` (Unix seconds), oldest first, at most `limit`.
    public func entries(since: Double, limit: Int) throws -> [Entry] {
        let rows = try db.query(
            """
            SELECT id, created_at, session_id, turn, service, task_type, provider, model, module_context, tier,
                   tokens_in, tokens_out, latency_ms, cost_usd, outcome, is_local, tokens_estimated
            FROM llm_calls WHERE created_at > ? ORDER BY created_at, id LIMIT ?
            """, [.double(since), .int(max(0, limit))])
        return rows.map { r in
            Entry(
                id: r.int(0) ?? 0, createdAt: r.double(1) ?? 0, session: r.text(2), turn: r.int(3) ?? 0,
                record: LLMCallRecord(
                    service: r.text(4) ?? "", taskType: r.text(5) ?? "", provider: r.text(6) ?? "",
                    model: r.text(7) ?? "", moduleContext: r.text(8), tier: r.text(9) ?? "",
                    tokensIn: r.int(10) ?? 0, tokensOut: r.int(11) ?? 0, latencyMs: r.double(12) ?? 0,
                    costUSD: r.double(13) ?? 0, outcome: r.text(14) ?? "", isLocal: (r.int(15) ?? 0) != 0,
                    tokensEstimated: (r.int(16) ?? 0) != 0))
        }
    }
}
