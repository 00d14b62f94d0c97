import CSQLite
import NexusCore
import NexusPOSIX
import Synchronization

/// The one SQLite file every subsystem keeps its rows in (DESIGN §3): history, ledger, registry, vault, audit.
///
/// WAL mode and a busy timeout let two nexus processes share one home; versioned migrations run at open;
/// a file written by a newer nexus is refused with a clear message instead of being damaged.
/// One connection per `Database`, serialized by a lock: SQLite calls are short and this keeps the
/// handle's use single-threaded without an actor hop on every write.
public final class Database: Sendable {
    private let handle: Mutex<OpaquePointer?>
    public let path: String

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String, migrations: [Migration] = Schema.migrations, busyTimeoutMs: Int32 = 5000)
        throws(StoreError)
    {
        self.path = path
        handle = Mutex(
            try Self.open(
                path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                busyTimeoutMs: busyTimeoutMs))
        // Switching to WAL and migrating need locks that SQLite refuses at once (without the busy
        // handler) when another nexus is doing the same on a fresh home: retry until the busy timeout.
        var waitedMs: Int32 = 0
        while true {
            do {
                try execute("PRAGMA journal_mode=WAL")
                try execute("PRAGMA foreign_keys=ON")
                try execute("PRAGMA synchronous=NORMAL")
                try Migrator(migrations: migrations).migrate(self)
                break
            } catch .busy(let p) {
                if waitedMs >= busyTimeoutMs { throw StoreError.busy(path: p) }
                Pause.milliseconds(20)
                waitedMs += 20
            }
        }
    }

    /// A second connection to the file at `path` that only reads: no migration, no write, so a long read on another
    /// thread (the usage prior's count of the call log at start) neither waits for the session's connection nor
    /// makes it wait (WAL lets readers and the writer run side by side). The file must exist and be migrated.
    public init(readingOnly path: String, busyTimeoutMs: Int32 = 5000) throws(StoreError) {
        self.path = path
        handle = Mutex(
            try Self.open(path, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, busyTimeoutMs: busyTimeoutMs))
    }

    /// One connection to `path` opened with `flags`, with the busy timeout and extended result codes.
    private static func open(_ path: String, flags: Int32, busyTimeoutMs: Int32) throws(StoreError) -> OpaquePointer {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw StoreError.cannotOpen(path: path, reason: msg)
        }
        sqlite3_busy_timeout(db, busyTimeoutMs)
        sqlite3_extended_result_codes(db, 1)
        return db
    }

    /// An in-memory database, for tests and benchmarks.
    public convenience init(inMemory: Void = ()) throws(StoreError) {
        try self.init(path: ":memory:")
    }

    deinit {
        handle.withLock { db in
            if let d = db { sqlite3_close_v2(d) }
            db = nil
        }
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String, _ params: [SQLValue] = []) throws(StoreError) {
        _ = try query(sql, params)
    }

    /// Runs a statement and returns every row.
    @discardableResult
    public func query(_ sql: String, _ params: [SQLValue] = []) throws(StoreError) -> [Row] {
        let result: Result<[Row], StoreError> = handle.withLock { db in
            guard let db else { return .failure(.closed(path: path)) }
            return Statement.run(db: db, sql: sql, params: params, path: path)
        }
        return try result.get()
    }

    /// Runs `body` inside BEGIN IMMEDIATE … COMMIT; rolls back if it throws.
    /// The lock is held for the whole transaction so no other thread's statement interleaves.
    public func transaction<T>(_ body: (TransactionContext) throws -> T) throws -> T {
        try handle.withLock { db throws -> T in
            guard let db else { throw StoreError.closed(path: path) }
            let ctx = TransactionContext(db: db, path: path)
            try ctx.execute("BEGIN IMMEDIATE")
            do {
                let value = try body(ctx)
                try ctx.execute("COMMIT")
                return value
            } catch {
                _ = Statement.run(db: db, sql: "ROLLBACK", params: [], path: path)
                throw error
            }
        }
    }

    public var lastInsertRowID: Int64 {
        handle.withLock { db in db.map { sqlite3_last_insert_rowid($0) } ?? 0 }
    }

    /// The schema version recorded in the file.
    public func userVersion() throws(StoreError) -> Int {
        try query("PRAGMA user_version").first?.int(0) ?? 0
    }

    /// The schema steps this file has had applied, as `1–3, 10, 20`: what `nexus doctor` shows.
    public func appliedStepsSummary() throws(StoreError) -> String {
        let steps = try query("SELECT version FROM schema_migrations ORDER BY version").compactMap { $0.int(0) }
        var runs: [String] = []
        var i = 0
        while i < steps.count {
            var j = i
            while j + 1 < steps.count, steps[j + 1] == steps[j] + 1 { j += 1 }
            runs.append(j == i ? "\(steps[i])" : "\(steps[i])–\(steps[j])")
            i = j + 1
        }
        return runs.joined(separator: ", ")
    }
}

/// Statement access inside `Database.transaction`: the same calls, on the already-locked connection.
public struct TransactionContext {
    let db: OpaquePointer
    let path: String

    public func execute(_ sql: String, _ params: [SQLValue] = []) throws(StoreError) {
        _ = try Statement.run(db: db, sql: sql, params: params, path: path).get()
    }

    @discardableResult
    public func query(_ sql: String, _ params: [SQLValue] = []) throws(StoreError) -> [Row] {
        try Statement.run(db: db, sql: sql, params: params, path: path).get()
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(db) }
}
