import NexusCore

/// The audit trail's rows outside the vault: module lifecycle (install, upgrade, rollback, enable,
/// disable, remove) and each approval decision, in the same `audit` table as the vault's own rows
/// (`VaultAudit`), so `nexus audit` reads one trail. Targets are `module/<name>` or an approval id;
/// details never hold a secret (a sha256, a version, a decision).
public struct AuditRepository: Sendable {
    public let db: Database
    public init(db: Database) { self.db = db }

    /// One row of the trail.
    public struct Entry: Sendable, Equatable {
        public var at: Double
        public var actor: String
        public var action: String
        public var target: String
        public var detail: String?
    }

    /// Appends a row. Throws when it could not be written: callers that must not lose it say so.
    public func record(actor: String, action: String, target: String, detail: String? = nil) throws(StoreError) {
        try db.execute(Self.insertSQL, Self.row(WallClock.now(), actor, action, target, detail))
    }

    /// Appends a row inside `tx`, so it is written with the change it records or not at all.
    public static func record(
        in tx: TransactionContext, at: Double, actor: String, action: String, target: String, detail: String?
    ) throws(StoreError) {
        try tx.execute(insertSQL, row(at, actor, action, target, detail))
    }

    static let insertSQL = "INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)"

    static func row(_ at: Double, _ actor: String, _ action: String, _ target: String, _ detail: String?) -> [SQLValue]
    {
        [.double(at), .text(actor), .text(action), .text(target), .optionalText(detail)]
    }

    /// The newest `limit` rows (oldest first), optionally only those whose action is in `actions`.
    public func recent(limit: Int = 100, actions: [String]? = nil) throws -> [Entry] {
        var filter = ""
        var params: [SQLValue] = []
        if let actions, !actions.isEmpty {
            filter = "WHERE action IN (" + actions.map { _ in "?" }.joined(separator: ",") + ")"
            params += actions.map { .text($0) }
        }
        params.append(.int(max(1, limit)))
        let rows = try db.query(
            """
            SELECT at, actor, action, target, detail FROM (
                SELECT id, at, actor, action, target, detail FROM audit \(filter) ORDER BY id DESC LIMIT ?
            ) ORDER BY id
            """, params)
        return rows.map {
            Entry(
                at: $0.double(0) ?? 0, actor: $0.text(1) ?? "", action: $0.text(2) ?? "", target: $0.text(3) ?? "",
                detail: $0.text(4))
        }
    }
}
