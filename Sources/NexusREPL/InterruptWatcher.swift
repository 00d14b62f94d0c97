import NexusCore
import NexusPOSIX
import Synchronization

/// Ctrl-C cancels the running turn, not the program: SIGINT is caught (`InterruptSignal`, in place before the
/// first prompt is drawn) and handed to the session from a thread of its own. A second Ctrl-C within a second
/// exits (status 130). One watcher serves a whole line-mode run: `setHandler` points it at the session once
/// there is one.
public final class InterruptWatcher: Sendable {
    private let handler: Mutex<@Sendable () -> Void>
    private let stopped = Atomic<Bool>(false)

    public func setHandler(_ onInterrupt: @escaping @Sendable () -> Void) {
        handler.withLock { $0 = onInterrupt }
    }

    public init(onInterrupt: @escaping @Sendable () -> Void) {
        handler = Mutex(onInterrupt)
        guard InterruptSignal.catchInterrupts() else { return }
        DetachedThread.start(name: "nexus.sigint") { [self] in
            var last: UInt64 = 0
            while InterruptSignal.waitForNext(), !self.stopped.load(ordering: .acquiring) {
                let now = MonotonicClock.nanoseconds()
                if last != 0 && now - last < 1_000_000_000 { ProcessControl.exitImmediately(130) }
                last = now
                // Said first: the handler may redraw the prompt, which belongs below it.
                OutputSink.stderr.write("\n^C (again to quit)\n")
                self.handler.withLock { $0 }()
            }
        }
    }

    public func stop() {
        stopped.store(true, ordering: .releasing)
        ProcessControl.restoreDefault(.interrupt)
        InterruptSignal.wake()
    }
}
