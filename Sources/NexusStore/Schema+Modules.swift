/// The module registry's tables (migrations 10–19): installed modules, their approved versions, every
/// tool call's outcome and latency, and the install journal that makes a crash mid-install recoverable.
extension Schema {
    public static let modules: [Migration] = [modulesV10, modulesV11]

    static let modulesV10 = Migration(
        version: 10,
        sql: """
            CREATE TABLE modules (
                name TEXT PRIMARY KEY,
                category TEXT NOT NULL,
                version TEXT NOT NULL,
                seq INTEGER NOT NULL DEFAULT 1,
                state TEXT NOT NULL,
                path TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                source TEXT NOT NULL,
                created_by TEXT,
                health TEXT NOT NULL DEFAULT 'unknown',
                last_error TEXT,
                calls INTEGER NOT NULL DEFAULT 0,
                failures INTEGER NOT NULL DEFAULT 0,
                latency_ms_total REAL NOT NULL DEFAULT 0,
                tools TEXT,
                installed_at REAL NOT NULL,
                updated_at REAL NOT NULL
            );
            CREATE TABLE module_versions (
                name TEXT NOT NULL,
                seq INTEGER NOT NULL,
                version TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                approved_at REAL NOT NULL,
                PRIMARY KEY (name, seq)
            );
            CREATE TABLE module_calls (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                module TEXT NOT NULL,
                tool TEXT NOT NULL,
                at REAL NOT NULL,
                latency_ms REAL NOT NULL,
                outcome TEXT NOT NULL,
                error TEXT
            );
            CREATE INDEX module_calls_module ON module_calls(module, id);
            CREATE TABLE module_pending (
                name TEXT PRIMARY KEY,
                operation TEXT NOT NULL,
                category TEXT NOT NULL,
                target TEXT NOT NULL,
                staging TEXT NOT NULL,
                new_seq INTEGER NOT NULL,
                new_version TEXT NOT NULL,
                new_sha256 TEXT NOT NULL,
                source TEXT NOT NULL,
                created_by TEXT,
                started_at REAL NOT NULL
            );
            """)

    /// Where the usage prior starts counting a module's calls (`ModuleRegistry.usageStart`): null is its
    /// `installed_at`; a module removed and installed again as the same build keeps the start of the history it
    /// had, while `installed_at` (the vault's approval lineage) restarts.
    static let modulesV11 = Migration(
        version: 11,
        sql: "ALTER TABLE modules ADD COLUMN usage_since REAL;")
}
