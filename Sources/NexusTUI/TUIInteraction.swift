import NexusCore
import NexusOrchestrator
import Synchronization

/// The TUI's answer to `InteractionHandler`: approvals are shown inline in the chat and answered
/// on the input line with y / n / a; secrets are typed hidden. Nothing proceeds until answered.
///
/// Create it first and hand it to the orchestrator; give the same instance to `TUIApp`. Requests
/// are queued and shown one at a time. When no TUI is running (or it exits) every request is
/// answered "no" (and secrets nil): fail closed.
public final class TUIInteraction: InteractionHandler {
    typealias ApprovalWaiter = (request: ApprovalRequest, continuation: CheckedContinuation<ApprovalDecision, Never>)
    typealias SecretWaiter = (prompt: SecretPrompt, continuation: CheckedContinuation<String?, Never>)

    private struct State {
        var store: UIStore?
        var approvals: [ApprovalWaiter] = []
        var secrets: [SecretWaiter] = []
    }

    /// `--approve`: ask inline (default), or answer every approval yes / no without asking (the
    /// request and the answer are still shown in the chat). Secrets are always asked.
    public enum Policy: Sendable { case ask, yes, no }

    private let state = Mutex(State())
    public let policy: Policy

    public init(policy: Policy = .ask) { self.policy = policy }

    public func decide(_ request: ApprovalRequest) async -> ApprovalDecision {
        if policy != .ask {
            let d: ApprovalDecision = policy == .yes ? .yes : .no
            if let store = state.withLock({ $0.store }) {
                store.update { s in
                    s.showApproval(request, turn: s.currentTurn)
                    s.chat.annotateApproval(
                        id: request.id, "→ " + UIState.describe(d) + " (--approve \(d == .yes ? "yes" : "no"))")
                }
            }
            return d
        }
        return await withCheckedContinuation { (c: CheckedContinuation<ApprovalDecision, Never>) in
            let outcome: (UIStore?, Bool) = state.withLock { s in
                guard let store = s.store else { return (nil, false) }
                s.approvals.append((request, c))
                return (store, s.approvals.count == 1)
            }
            guard let store = outcome.0 else {
                c.resume(returning: .no)
                return
            }
            if outcome.1 { Self.show(request, in: store) }
        }
    }

    public func askSecret(_ prompt: SecretPrompt) async -> String? {
        await withCheckedContinuation { (c: CheckedContinuation<String?, Never>) in
            let outcome: (UIStore?, Bool) = state.withLock { s in
                guard let store = s.store else { return (nil, false) }
                s.secrets.append((prompt, c))
                return (store, s.secrets.count == 1)
            }
            guard let store = outcome.0 else {
                c.resume(returning: nil)
                return
            }
            if outcome.1 { Self.show(prompt, in: store) }
        }
    }

    static func show(_ r: ApprovalRequest, in store: UIStore) {
        let overlay = r.proof.map { proof -> ProofOverlay in
            let (files, diff) = BuildProofFiles.load(proof)
            return ProofOverlay(request: r, files: files.map { ($0.path, $0.content) }, diff: diff)
        }
        store.update(urgent: true) { s in
            s.pendingApproval = r
            s.proof = overlay
            s.showApproval(r, turn: s.currentTurn)
        }
    }

    static func show(_ p: SecretPrompt, in store: UIStore) {
        store.update(urgent: true) { s in
            s.pendingSecret = p
            var text = "secret needed: \(p.name) for module \(p.module) (input is hidden)"
            if let i = p.instructions { text += "\n" + i }
            s.chat.add(ChatBlock(kind: .approval, turnID: s.currentTurn, text: text))
        }
    }

    /// The person answered the approval `id`.
    func resolve(id: String, _ decision: ApprovalDecision) {
        let (waiter, next, store): (ApprovalWaiter?, ApprovalRequest?, UIStore?) = state.withLock { s in
            guard let i = s.approvals.firstIndex(where: { $0.request.id == id }) else { return (nil, nil, s.store) }
            let w = s.approvals.remove(at: i)
            return (w, s.approvals.first?.request, s.store)
        }
        waiter?.continuation.resume(returning: decision)
        if let next, let store { Self.show(next, in: store) }
    }

    /// The person typed (or skipped, nil) the secret asked first.
    func resolveSecret(_ value: String?) {
        let (waiter, next, store): (SecretWaiter?, SecretPrompt?, UIStore?) = state.withLock { s in
            guard !s.secrets.isEmpty else { return (nil, nil, s.store) }
            let w = s.secrets.removeFirst()
            return (w, s.secrets.first?.prompt, s.store)
        }
        waiter?.continuation.resume(returning: value)
        if let next, let store { Self.show(next, in: store) }
    }

    func attach(_ store: UIStore) { state.withLock { $0.store = store } }

    /// The TUI is going away: everything still waiting is answered no / nil.
    func detach() {
        let (a, sec): ([ApprovalWaiter], [SecretWaiter]) = state.withLock { s in
            defer {
                s.approvals = []
                s.secrets = []
                s.store = nil
            }
            return (s.approvals, s.secrets)
        }
        for w in a { w.continuation.resume(returning: .no) }
        for w in sec { w.continuation.resume(returning: nil) }
    }
}
