/// The database schema, one numbered migration at a time.
///
/// Version ranges keep subsystems from colliding while they grow: 1–9 core (history, ledger, routing,
/// settings, audit), 10–19 modules, 20–29 vault, 30–39 sandbox, 40–49 evolution, 50–59 retrieval, 60–69 telemetry.
/// Append; never edit a released step.
public enum Schema {
    public static let migrations: [Migration] =
        [v1, v2, v3, v4] + modules + vault + builds + evolve + embeddings + telemetry

    static let v1 = Migration(
        version: 1,
        sql: """
            CREATE TABLE sessions (
                id TEXT PRIMARY KEY,
                started_at REAL NOT NULL,
                title TEXT
            );
            CREATE TABLE messages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                session_id TEXT NOT NULL,
                turn INTEGER NOT NULL,
                role TEXT NOT NULL,
                content TEXT NOT NULL,
                tool_calls TEXT,
                tool_call_id TEXT,
                tool_name TEXT,
                created_at REAL NOT NULL
            );
            CREATE INDEX messages_session ON messages(session_id, id);
            CREATE TABLE llm_calls (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                session_id TEXT,
                turn INTEGER,
                service TEXT NOT NULL,
                task_type TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                module_context TEXT,
                tier TEXT NOT NULL,
                tokens_in INTEGER NOT NULL,
                tokens_out INTEGER NOT NULL,
                latency_ms REAL NOT NULL,
                cost_usd REAL NOT NULL,
                outcome TEXT NOT NULL,
                is_local INTEGER NOT NULL,
                created_at REAL NOT NULL
            );
            CREATE INDEX llm_calls_session ON llm_calls(session_id);
            CREATE TABLE route_overrides (
                task_type TEXT PRIMARY KEY,
                chain TEXT NOT NULL,
                updated_at REAL NOT NULL
            );
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            CREATE TABLE audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at REAL NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                detail TEXT
            );
            """)

    /// Ledger rows whose token counts were estimated because the server reported none (llama.cpp).
    static let v2 = Migration(
        version: 2,
        sql: "ALTER TABLE llm_calls ADD COLUMN tokens_estimated INTEGER NOT NULL DEFAULT 0;")

    /// All-time ledger totals kept by a trigger, one row per provider, model and task type, so `/cost`
    /// and the TUI's cost pane read a few rows instead of scanning every call ever made (a 100,000-call
    /// ledger took ≈ 50 ms per grouping). Every process writing the file keeps it current.
    static let v3 = Migration(
        version: 3,
        sql: """
            CREATE TABLE llm_call_totals (
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                task_type TEXT NOT NULL,
                calls INTEGER NOT NULL,
                tokens_in INTEGER NOT NULL,
                tokens_out INTEGER NOT NULL,
                cost_usd REAL NOT NULL,
                all_local INTEGER NOT NULL,
                any_estimated INTEGER NOT NULL,
                PRIMARY KEY (provider, model, task_type)
            ) WITHOUT ROWID;
            INSERT INTO llm_call_totals
                SELECT provider, model, task_type, COUNT(*), SUM(tokens_in), SUM(tokens_out), SUM(cost_usd),
                       MIN(is_local), MAX(tokens_estimated)
                FROM llm_calls GROUP BY provider, model, task_type;
            CREATE TRIGGER llm_calls_roll_up AFTER INSERT ON llm_calls BEGIN
                INSERT INTO llm_call_totals VALUES (
                    NEW.provider, NEW.model, NEW.task_type, 1, NEW.tokens_in, NEW.tokens_out, NEW.cost_usd,
                    NEW.is_local, NEW.tokens_estimated)
                ON CONFLICT (provider, model, task_type) DO UPDATE SET
                    calls = calls + 1,
                    tokens_in = tokens_in + excluded.tokens_in,
                    tokens_out = tokens_out + excluded.tokens_out,
                    cost_usd = cost_usd + excluded.cost_usd,
                    all_local = MIN(all_local, excluded.all_local),
                    any_estimated = MAX(any_estimated, excluded.any_estimated);
            END;
            """)

    /// Failed attempts kept apart in the all-time totals (`failed`: rows whose outcome is not `ok` — a retried
    /// or failed-over attempt, a cut stream, a cancelled call), so `/cost` says "3 calls, 1 failed attempt"
    /// instead of counting an attempt that never answered as a call.
    static let v4 = Migration(
        version: 4,
        sql: """
            ALTER TABLE llm_call_totals ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
            UPDATE llm_call_totals SET failed = (
                SELECT COUNT(*) FROM llm_calls c
                WHERE c.provider = llm_call_totals.provider AND c.model = llm_call_totals.model
                    AND c.task_type = llm_call_totals.task_type AND c.outcome <> 'ok');
            DROP TRIGGER llm_calls_roll_up;
            CREATE TRIGGER llm_calls_roll_up AFTER INSERT ON llm_calls BEGIN
                INSERT INTO llm_call_totals VALUES (
                    NEW.provider, NEW.model, NEW.task_type, 1, NEW.tokens_in, NEW.tokens_out, NEW.cost_usd,
                    NEW.is_local, NEW.tokens_estimated, NEW.outcome <> 'ok')
                ON CONFLICT (provider, model, task_type) DO UPDATE SET
                    calls = calls + 1,
                    tokens_in = tokens_in + excluded.tokens_in,
                    tokens_out = tokens_out + excluded.tokens_out,
                    cost_usd = cost_usd + excluded.cost_usd,
                    all_local = MIN(all_local, excluded.all_local),
                    any_estimated = MAX(any_estimated, excluded.any_estimated),
                    failed = failed + excluded.failed;
            END;
            """)
}
