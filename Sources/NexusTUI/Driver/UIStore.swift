import NexusPOSIX
import Synchronization

/// The one shared `UIState`, behind a lock, plus the wake-up of the render thread.
///
/// Events (async tasks), keys (the input thread) and approvals (the orchestrator's tasks) all
/// change state through `update`; the render thread composes frames from it under the same lock.
final class UIStore: Sendable {
    let state: Mutex<UIState>
    let wake: WakePipe
    /// Set by key presses: the next frame goes out without waiting for the frame interval.
    let urgent = Atomic<Bool>(false)

    init(state: UIState = UIState(), wake: WakePipe) {
        self.state = Mutex(state)
        self.wake = wake
    }

    @discardableResult
    func update<R: Sendable>(urgent isUrgent: Bool = false, _ body: (inout UIState) -> R) -> R {
        let r = state.withLock { s in body(&s) }
        if isUrgent { urgent.store(true, ordering: .relaxed) }
        wake.wake()
        return r
    }

    func read<R: Sendable>(_ body: (UIState) -> R) -> R { state.withLock { body($0) } }
}
