import CSQLite

/// Prepares, binds, steps and finalizes SQL on a raw connection. Multiple statements in one string run in turn.
enum Statement {
    static func run(db: OpaquePointer, sql: String, params: [SQLValue], path: String) -> Result<[Row], StoreError> {
        var rows: [Row] = []
        let remaining = Array(sql.utf8CString)
        var offset = 0
        var bound = false
        while true {
            var stmt: OpaquePointer?
            var tailOffset = 0
            let rc = remaining.withUnsafeBufferPointer { buf -> Int32 in
                guard let base = buf.baseAddress else { return SQLITE_MISUSE }
                var tail: UnsafePointer<CChar>?
                let r = sqlite3_prepare_v2(db, base + offset, -1, &stmt, &tail)
                if let tail { tailOffset = tail - base }
                return r
            }
            guard rc == SQLITE_OK else { return .failure(error(db, path: path, sql: sql)) }
            guard let s = stmt else { break }  // only whitespace or comments left
            defer { sqlite3_finalize(s) }
            if !bound {
                for (i, p) in params.enumerated() { p.bind(to: s, at: Int32(i + 1)) }
                bound = true
            }
            while true {
                let step = sqlite3_step(s)
                if step == SQLITE_ROW {
                    rows.append(Row(statement: s))
                } else if step == SQLITE_DONE {
                    break
                } else {
                    return .failure(error(db, path: path, sql: sql))
                }
            }
            offset = tailOffset
            if offset >= remaining.count - 1 { break }
        }
        return .success(rows)
    }

    static func error(_ db: OpaquePointer, path: String, sql: String) -> StoreError {
        let code = sqlite3_extended_errcode(db)
        let msg = String(cString: sqlite3_errmsg(db))
        if code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED {
            return .busy(path: path)
        }
        return .sql(path: path, code: Int(code), message: msg)
    }
}
