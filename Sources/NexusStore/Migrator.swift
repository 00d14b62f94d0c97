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
struct Migrator {
    let migrations: [Migration]

    func migrate(_ db: Database) throws(StoreError) {
        let supported = migrations.map(\.version).max() ?? 0
        let current = try db.userVersion()
        if current > supported {
            throw StoreError.newerSchema(path: db.path, found: current, supported: supported)
        }
        for m in migrations.sorted(by: { $0.version < $1.version }) where m.version > current {
            do {
                try db.transaction { tx in
                    // Re-check inside the write lock: another process may have migrated meanwhile.
                    let now = try tx.query("PRAGMA user_version").first?.int(0) ?? 0
                    guard now < m.version else { return }
                    try tx.execute(m.sql)
                    try tx.execute("PRAGMA user_version = \(m.version)")
                }
            } catch let e as StoreError {
                throw e
            } catch {
                throw StoreError.sql(path: db.path, code: -1, message: "\(error)")
            }
        }
    }
}
