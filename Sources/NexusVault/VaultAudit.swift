import NexusCore
import NexusStore

/// The vault's audit trail: a row in `audit` (at, actor, action, target, detail) and an `.audit`
/// event for every store, retrieve, delete, rotate and detected tampering.
///
/// The row is written inside the same transaction as the change it records, so the trail never
/// claims a change that did not happen nor misses one that did. Targets are `module/name`; values
/// never appear here.
enum VaultAudit {
    static func insert(
        _ tx: TransactionContext, actor: VaultActor, action: String, target: String, detail: String?
    ) throws(StoreError) {
        try tx.execute(
            "INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            [.double(WallClock.now()), .text(actor.description), .text(action), .text(target), .optionalText(detail)])
    }

    static func publish(_ bus: EventBus?, actor: VaultActor, action: String, target: String) {
        bus?.publish(turn: 0, .audit(actor: actor.description, action: action, target: target))
    }
}

/// One row of the vault's audit trail, as `CredentialStore.auditTrail` returns it.
public struct VaultAuditEntry: Sendable, Equatable {
    public var at: Double
    public var actor: String
    public var action: String
    public var target: String
    public var detail: String?
}

extension CredentialStore {
    /// The most recent audit rows about credentials (newest last).
    public func auditTrail(limit: Int = 100) throws(VaultError) -> [VaultAuditEntry] {
        let rows: [Row]
        do {
            rows = try database.query(
                """
                SELECT at, actor, action, target, detail FROM (
                    SELECT id, at, actor, action, target, detail FROM audit
                    WHERE action IN ('store', 'retrieve', 'delete', 'rotate', 'tamper_detected', 'bind')
                    ORDER BY id DESC LIMIT ?
                ) ORDER BY id
                """, [.int(limit)])
        } catch { throw .wrap(error) }
        return rows.map {
            VaultAuditEntry(
                at: $0.double(0) ?? 0, actor: $0.text(1) ?? "", action: $0.text(2) ?? "", target: $0.text(3) ?? "",
                detail: $0.text(4))
        }
    }
}
