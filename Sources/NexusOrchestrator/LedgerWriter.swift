import NexusCore
import NexusStore

/// The lossless ledger subscriber: every `usage` event becomes a row in `llm_calls`.
/// It drains fully before the process exits (`Orchestrator.shutdown`).
public final class LedgerWriter: Sendable {
    let task: Task<Void, Never>

    init(task: Task<Void, Never>) { self.task = task }

    public static func start(context: NexusContext, session: String) -> LedgerWriter {
        let sub = context.bus.subscribe(.lossless)
        let ledger = LedgerRepository(db: context.database)
        let task = Task.detached {
            for await e in sub.events {
                if case .llmCall(let r) = e.kind {
                    do {
                        try ledger.record(r, session: session, turn: e.turnID)
                    } catch {
                        context.bus.publish(turn: e.turnID, .notice("ledger: \(error.userFacingDescription)"))
                    }
                }
            }
        }
        return LedgerWriter(task: task)
    }

    /// Waits until every event published before the bus finished has been written.
    public func drain() async { await task.value }
}
