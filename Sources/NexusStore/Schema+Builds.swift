/// The module builds' tables (migrations 40–49, evolution): one row per `nexus build`, one per attempt.
///
/// Co-evolution learns from this record later, so it keeps what a build was asked, which template and
/// models wrote it, how each attempt failed (category, check, diff size, check timings) and what it cost.
extension Schema {
    static let builds: [Migration] = [v40]

    static let v40 = Migration(
        version: 40,
        sql: """
            CREATE TABLE builds (
                id TEXT PRIMARY KEY,
                session_id TEXT,
                request TEXT NOT NULL,
                requested_name TEXT,
                docs_bytes INTEGER NOT NULL DEFAULT 0,
                template_version TEXT NOT NULL,
                folder TEXT NOT NULL,
                module TEXT,
                outcome TEXT NOT NULL,
                last_error TEXT,
                sha256 TEXT,
                tokens_in INTEGER NOT NULL DEFAULT 0,
                tokens_out INTEGER NOT NULL DEFAULT 0,
                cost_usd REAL NOT NULL DEFAULT 0,
                started_at REAL NOT NULL,
                finished_at REAL
            );
            CREATE INDEX builds_started ON builds (started_at);
            CREATE TABLE build_attempts (
                build_id TEXT NOT NULL REFERENCES builds(id),
                number INTEGER NOT NULL,
                stage TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                passed INTEGER NOT NULL,
                failure_category TEXT,
                failed_check TEXT,
                error TEXT,
                diff_lines INTEGER NOT NULL,
                check_timings TEXT NOT NULL,
                tokens_in INTEGER NOT NULL,
                tokens_out INTEGER NOT NULL,
                seconds REAL NOT NULL,
                PRIMARY KEY (build_id, number)
            );
            """)
}
