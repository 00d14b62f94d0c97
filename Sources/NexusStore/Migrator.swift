import NexusCore

/// One numbered schema step. Steps never change once released; a new need is a new step.
public struct Migration: Sendable {
    public var version: Int
    public var sql: String
    public init(version: Int, sql: String) {
        self.version = version
        self.sql = sql
    }
}

/// Applies the migrations a database has not seen, each in its own transaction, and refuses a newer file.
///
/// Which steps a file has seen is recorded step by step in `schema_migrations`, not only as SQLite's
/// `user_version`: steps are numbered in ranges per subsystem (1–9 core, 10–19 modules, 20–29 vault, …),
/// so a new core step 2 arrives after files have already reached 20, and "apply everything above
/// user_version" would skip it for good. `user_version` still holds the highest step applied, which is what
/// an older nexus checks to refuse a file written by a newer one.
struct Migrator {
    let migrations: [Migration]

    /// The steps released before `schema_migrations` existed: a file at user_version N has every one ≤ N.
    static let releasedBeforeLedger: Set<Int> = [1, 10, 20]

    func migrate(_ db: Database) throws(StoreError) {
        let known = Set(migrations.map(\.version))
        let supported = known.max() ?? 0
        let current = try db.userVersion()
        if current > supported {
            throw StoreError.newerSchema(path: db.path, found: current, supported: supported)
        }
        try step(db) { tx in
            try tx.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)")
            let recorded = try tx.query("SELECT COUNT(*) FROM schema_migrations").first?.int(0) ?? 0
            let version = try tx.query("PRAGMA user_version").first?.int(0) ?? 0
            guard recorded == 0, version > 0 else { return }
            for v in Self.releasedBeforeLedger.sorted() where v <= version {
                try tx.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", [.int(v), .double(0)])
            }
        }
        let applied = Set(try db.query("SELECT version FROM schema_migrations").compactMap { $0.int(0) })
        if let unknown = applied.subtracting(known).max() {
            throw StoreError.newerSchema(path: db.path, found: unknown, supported: supported)
        }
        for m in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(m.version) {
            try step(db) { tx in
                // Re-check inside the write lock: another process may have migrated meanwhile.
                let done = try tx.query("SELECT 1 FROM schema_migrations WHERE version = ?", [.int(m.version)])
                guard done.isEmpty else { return }
                try tx.execute(m.sql)
                try tx.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    [.int(m.version), .double(WallClock.now())])
                let version = try tx.query("PRAGMA user_version").first?.int(0) ?? 0
                if m.version > version { try tx.execute("PRAGMA user_version = \(m.version)") }
            }
        }
    }

    /// Runs `body` in one transaction, keeping StoreErrors (busy, sql) as they are.
    private func step(_ db: Database, _ body: (TransactionContext) throws -> Void) throws(StoreError) {
        do {
            try db.transaction(body)
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError.sql(path: db.path, code: -1, message: "\(error)")
        }
    }
}
