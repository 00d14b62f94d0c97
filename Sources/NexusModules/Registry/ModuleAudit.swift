import NexusCore
import NexusStore

/// Module lifecycle rows of the audit trail (issue 16 item 7): `install`, `upgrade`, `rollback`,
/// `enable`, `disable`, `remove`, and every approval decision (`approve` / `deny` of an install, an
/// upgrade or a sensitive tool call), in the `audit` table beside the vault's rows, with the actor
/// `modules`. State changes are written in the transaction that makes them, so the trail never claims a
/// change that did not happen; `nexus audit` shows them.
public enum ModuleAudit {
    public static let actor = "modules"
    /// Every action this writes, for readers that filter the trail.
    public static let actions = ["install", "upgrade", "rollback", "enable", "disable", "remove", "approve", "deny"]

    static func action(for state: ModuleRecord.State) -> String {
        switch state {
        case .enabled: "enable"
        case .disabled: "disable"
        case .archived: "remove"
        }
    }

    static func insert(
        _ tx: TransactionContext, action: String, module: String, detail: String?, at: Double
    ) throws(StoreError) {
        try AuditRepository.record(
            in: tx, at: at, actor: actor, action: action, target: "module/\(module)", detail: detail)
    }

    /// Records a person's decision on `request` (the approval's id and what it was for in `detail`) and
    /// publishes it as an `.audit` event. A row that cannot be written is reported through `bus` as a
    /// notice rather than lost silently; the decision itself stands.
    public static func recordDecision(
        _ decision: ApprovalDecision, request: ApprovalRequest, module: String, database: Database, bus: EventBus?
    ) {
        let action = decision.granted ? "approve" : "deny"
        let detail = "\(request.id): \(decision.rawValue) — \(request.title)"
        do {
            try AuditRepository(db: database).record(
                actor: actor, action: action, target: "module/\(module)", detail: detail)
        } catch {
            bus?.publish(turn: 0, .notice("audit: could not record \(action) of \(module): \(error)"))
        }
        bus?.publish(turn: 0, .audit(actor: actor, action: action, target: "module/\(module)"))
    }
}
