/// The co-evolution record (migration 45, in the evolution range 40–49): one row per `nexus evolve` round,
/// what was asked (a farm scenario at a difficulty level), which template version and model built it, how it
/// ended, the failure category of each failed attempt in order, the repairs it used, its time and its cost.
/// `lesson` is the one-sentence lesson a repaired round gave (sanitised), if any. The curriculum picks the next challenges from these rows and `nexus evolve status` summarises them.
extension Schema {
    static let evolve: [Migration] = [v45]

    static let v45 = Migration(
        version: 45,
        sql: """
            CREATE TABLE evolve_attempts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id TEXT NOT NULL,
                scenario TEXT NOT NULL,
                level INTEGER NOT NULL,
                template_version TEXT NOT NULL,
                model TEXT NOT NULL,
                outcome TEXT NOT NULL,
                failures TEXT NOT NULL,
                repairs INTEGER NOT NULL,
                seconds REAL NOT NULL,
                cost_usd REAL NOT NULL,
                tokens_in INTEGER NOT NULL,
                tokens_out INTEGER NOT NULL,
                build_id TEXT NOT NULL,
                error TEXT,
                lesson TEXT,
                started_at REAL NOT NULL
            );
            CREATE INDEX evolve_attempts_scenario ON evolve_attempts (scenario, id);
            """)
}
