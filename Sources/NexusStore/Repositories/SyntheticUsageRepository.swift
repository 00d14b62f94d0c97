import NexusCore

/// A store made to look used, for the benchmarks that must show start-up and the status snapshot do not grow
/// with it: synthetic sessions, conversation messages and ledger rows, each kind written by one statement. Only
/// `nexus bench` calls it, on a temporary home; its rows are named `bench-…` so they are never mistaken for use.
public struct SyntheticUsageRepository: Sendable {
    public let db: Database
    public init(db: Database) { self.db = db }

    /// A home after long use: `sessions` sessions (`bench-1`…), and `rows` conversation messages and `rows` ledger
    /// rows spread over them (local calls), in one transaction, then the write-ahead log folded in.
    public func fillHistory(sessions: Int, rows: Int) throws {
        let n = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(max(rows, sessions)))"
        try db.transaction { tx in
            try tx.execute(
                "\(n) INSERT INTO sessions (id, started_at) SELECT 'bench-' || i, i FROM n WHERE i <= \(sessions)")
            try tx.execute(
                """
                \(n) INSERT INTO messages (session_id, turn, role, content, created_at)
                SELECT 'bench-' || (i % \(sessions) + 1), i / \(sessions),
                       CASE i % 2 WHEN 0 THEN 'user' ELSE 'assistant' END,
                       'a message of about the length people type, number ' || i, i FROM n WHERE i <= \(rows)
                """)
            try tx.execute(
                """
                \(n) INSERT INTO llm_calls (session_id, turn, service, task_type, provider, model, tier,
                    tokens_in, tokens_out, latency_ms, cost_usd, outcome, is_local, created_at)
                SELECT 'bench-' || (i % \(sessions) + 1), i / \(sessions), 'chat', 'conversation', 'local', 'smollm2',
                       'local', 120, 40, 300.0, 0.0, 'ok', 1, i FROM n WHERE i <= \(rows)
                """)
        }
        try db.checkpoint()
    }

    /// `count` ledger rows of an earlier session `session`: every other call local (free) or paid (anthropic),
    /// one in three a simple query, the rest code generation.
    public func addEarlierCalls(count: Int, session: String) throws {
        try db.execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            INSERT INTO llm_calls (session_id, turn, service, task_type, provider, model, tier, tokens_in,
                tokens_out, latency_ms, cost_usd, outcome, is_local, created_at)
            SELECT ?, i, 'orchestrator', CASE i % 3 WHEN 0 THEN 'simple_query' ELSE 'code_generation' END,
                CASE i % 2 WHEN 0 THEN 'local' ELSE 'anthropic' END, 'm', 'standard', 100, 40, 300.0,
                (i % 2) * 0.001, 'ok', 1 - i % 2, i FROM n
            """, [.text(session)])
    }
}

extension Database {
    /// Folds the write-ahead log into the database file and empties it, as after an ordinary session's end.
    public func checkpoint() throws(StoreError) {
        try query("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
