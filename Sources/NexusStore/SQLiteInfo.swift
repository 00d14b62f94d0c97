import CSQLite

/// The SQLite library's version, for `nexus doctor`.
public enum SQLiteInfo {
    public static var version: String { "SQLite " + String(cString: sqlite3_libversion()) }
}
