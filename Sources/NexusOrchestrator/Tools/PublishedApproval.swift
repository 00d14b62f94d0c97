import NexusCore
import Synchronization

/// The approval handler tools get during a turn: it announces each request and its answer on the bus
/// (`approval_required`, `approval` — what `--json` scripts and the faces see) and remembers a refusal, so
/// the turn can finish as `approval_denied` rather than `ok`. The face's own handler gives the answer.
/// The request is scrubbed first: its arguments come from a model and may quote a secret, and both the
/// event and the prompt would otherwise show it.
struct PublishedApproval: ApprovalHandler {
    let inner: any ApprovalHandler
    let bus: EventBus
    let turn: Int
    let denials: TurnDenials
    let scrubber: any SecretScrubber

    func decide(_ raw: ApprovalRequest) async -> ApprovalDecision {
        var request = raw
        request.title = scrubber.redact(raw.title)
        request.details = raw.details.map { .init(scrubber.redact($0.label), scrubber.redact($0.value)) }
        bus.publish(turn: turn, .approvalRequired(request))
        let decision = await inner.decide(request)
        bus.publish(turn: turn, .approval(id: request.id, decision: decision))
        if !decision.granted { denials.record(turn) }
        return decision
    }
}

/// The turns in which an approval was refused.
final class TurnDenials: Sendable {
    private let turns = Mutex<Set<Int>>([])

    func record(_ turn: Int) { turns.withLock { _ = $0.insert(turn) } }

    /// Whether `turn` had a refusal; forgets it.
    func take(_ turn: Int) -> Bool { turns.withLock { $0.remove(turn) != nil } }
}
