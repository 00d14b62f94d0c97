/// The database schema, one numbered migration at a time.
///
/// Version ranges keep subsystems from colliding while they grow: 1–9 core (history, ledger, routing,
/// settings, audit), 10–19 modules, 20–29 vault, 30–39 sandbox, 40–49 evolution. Append; never edit a
/// released step.
public enum Schema {
    public static let migrations: [Migration] = [v1, v2] + modules + vault

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
}
