import NexusCore

/// Why the database could not do what was asked, worded for the person who has to fix it.
public enum StoreError: UserFacingError, Equatable {
    case cannotOpen(path: String, reason: String)
    case newerSchema(path: String, found: Int, supported: Int)
    case busy(path: String)
    case sql(path: String, code: Int, message: String)
    case closed(path: String)

    public var userMessage: String {
        switch self {
        case .cannotOpen(let p, let r): "\(p): cannot open the database: \(r)"
        case .newerSchema(let p, let f, let s):
            "\(p): the database was written by a newer nexus (schema \(f); this nexus knows up to \(s))"
        case .busy(let p): "\(p): the database stayed locked by another process past the busy timeout"
        case .sql(let p, let c, let m): "\(p): SQLite error \(c): \(m)"
        case .closed(let p): "\(p): the database is closed"
        }
    }

    public var hint: String? {
        switch self {
        case .cannotOpen: "check that NEXUS_HOME (or --home) is a writable directory"
        case .newerSchema: "upgrade nexus, or point --home at another directory"
        case .busy: "another nexus is holding a long write; try again"
        case .sql(let p, let code, _) where code == 26 || code == 11:
            "the file is damaged or not a nexus database: move it aside (mv \(p) \(p).damaged) and nexus starts "
                + "a fresh one; the module registry and stored credentials stay in the moved file"
        default: nil
        }
    }
}
