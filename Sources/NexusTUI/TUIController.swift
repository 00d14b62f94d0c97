import NexusCore
import NexusOrchestrator

/// Turns keys into state changes and session calls: the only place the TUI acts on the session.
final class TUIController: Sendable {
    let app: TUIApp
    let store: UIStore

    init(app: TUIApp, store: UIStore) {
        self.app = app
        self.store = store
    }

    /// Called on the input thread for every key; state changes are echoed on the next frame at once.
    func handle(_ key: Key) {
        let session = app.session
        let effects = store.update(urgent: true) { s in
            s.handle(key, completions: { session.completions(for: $0) })
        }
        for e in effects { perform(e) }
    }

    func perform(_ effect: UIEffect) {
        switch effect {
        case .submit(let line):
            store.update { s in
                s.busy = true
                s.busySinceNs = MonotonicClock.nanoseconds()
            }
            let session = app.session
            Task { [self] in
                let outcome = await session.submit(line)
                let next = store.update(urgent: true) { s in s.turnEnded(cleared: outcome == .cleared) }
                if outcome == .quit {
                    app.requestExit(0)
                    return
                }
                if let next { perform(.submit(next)) }
                await refreshStatus()
            }
        case .cancelTurn:
            app.session.cancelCurrentTurn()
        case .quit:
            app.requestExit(0)
        case .answerApproval(let id, let d):
            app.interaction.resolve(id: id, d)
        case .answerSecret(let v):
            app.interaction.resolveSecret(v)
        }
    }

    func refreshStatus() async {
        let snapshot = await app.session.status()
        store.update { $0.update(from: snapshot) }
    }
}
