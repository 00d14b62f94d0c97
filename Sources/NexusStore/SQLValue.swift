import CSQLite

/// A value bound into or read out of SQL.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    public static func int(_ v: Int) -> SQLValue { .int(Int64(v)) }
    public static func optionalText(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }

    func bind(to s: OpaquePointer, at i: Int32) {
        switch self {
        case .null: sqlite3_bind_null(s, i)
        case .int(let v): sqlite3_bind_int64(s, i, v)
        case .double(let v): sqlite3_bind_double(s, i, v)
        case .text(let v):
            // Bind with an explicit length so embedded NULs survive.
            var v = v
            v.withUTF8 { u in
                u.withMemoryRebound(to: CChar.self) { c in
                    if let base = c.baseAddress {
                        _ = nx_sqlite3_bind_text_transient(s, i, base, Int32(c.count))
                    } else {
                        _ = nx_sqlite3_bind_text_transient(s, i, "", 0)
                    }
                }
            }
        case .blob(let v):
            v.withUnsafeBytes { b in _ = nx_sqlite3_bind_blob_transient(s, i, b.baseAddress, Int32(b.count)) }
        }
    }
}

/// One result row, copied out of SQLite so it outlives the statement.
public struct Row: Sendable {
    public let values: [SQLValue]
    public let columns: [String]

    init(statement s: OpaquePointer) {
        let n = sqlite3_column_count(s)
        var vals: [SQLValue] = []
        var cols: [String] = []
        vals.reserveCapacity(Int(n))
        for i in 0..<n {
            cols.append(sqlite3_column_name(s, i).map { String(cString: $0) } ?? "")
            switch sqlite3_column_type(s, i) {
            case SQLITE_INTEGER: vals.append(.int(sqlite3_column_int64(s, i)))
            case SQLITE_FLOAT: vals.append(.double(sqlite3_column_double(s, i)))
            case SQLITE_TEXT:
                let len = Int(sqlite3_column_bytes(s, i))
                if let p = sqlite3_column_text(s, i) {
                    vals.append(.text(String(decoding: UnsafeBufferPointer(start: p, count: len), as: UTF8.self)))
                } else {
                    vals.append(.text(""))
                }
            case SQLITE_BLOB:
                let len = Int(sqlite3_column_bytes(s, i))
                if let p = sqlite3_column_blob(s, i), len > 0 {
                    vals.append(.blob(Array(UnsafeRawBufferPointer(start: p, count: len))))
                } else {
                    vals.append(.blob([]))
                }
            default: vals.append(.null)
            }
        }
        values = vals
        columns = cols
    }

    public func int(_ i: Int) -> Int? {
        guard i < values.count else { return nil }
        switch values[i] {
        case .int(let v): return Int(v)
        case .double(let d): return Int(exactly: d.rounded(.towardZero))
        case .text(let t): return Int(t)
        default: return nil
        }
    }

    public func double(_ i: Int) -> Double? {
        guard i < values.count else { return nil }
        switch values[i] {
        case .int(let v): return Double(v)
        case .double(let d): return d
        case .text(let t): return Double(t)
        default: return nil
        }
    }

    public func text(_ i: Int) -> String? {
        guard i < values.count else { return nil }
        switch values[i] {
        case .text(let t): return t
        case .int(let v): return String(v)
        case .double(let d): return String(d)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        case .null: return nil
        }
    }

    public func blob(_ i: Int) -> [UInt8]? {
        guard i < values.count else { return nil }
        switch values[i] {
        case .blob(let b): return b
        case .text(let t): return Array(t.utf8)
        default: return nil
        }
    }

    public subscript(column: String) -> SQLValue? {
        columns.firstIndex(of: column).map { values[$0] }
    }
}
