import Dispatch
import NexusPOSIX
import Synchronization

/// Ctrl-C cancels the running turn, not the program: SIGINT is caught through a dispatch source and
/// handed to the session. A second Ctrl-C within a second while nothing is running exits (status 130).
/// One watcher can serve a whole line-mode run: `setHandler` points it at the session once there is one
/// (a second signal source for SIGINT after the first was cancelled never fired).
final class InterruptWatcher: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private var last: UInt64 = 0
    private let handler: Mutex<@Sendable () -> Void>

    func setHandler(_ onInterrupt: @escaping @Sendable () -> Void) {
        handler.withLock { $0 = onInterrupt }
    }

    init(onInterrupt: @escaping @Sendable () -> Void) {
        handler = Mutex(onInterrupt)
        ProcessControl.ignore(.interrupt)
        source = DispatchSource.makeSignalSource(
            signal: ProcessControl.Signal.interrupt.number, queue: DispatchQueue(label: "nexus.sigint"))
        source.setEventHandler { [unowned self] in
            let now = DispatchTime.now().uptimeNanoseconds
            if now - self.last < 1_000_000_000 {
                ProcessControl.exitImmediately(130)
            }
            self.last = now
            self.handler.withLock { $0 }()
            OutputSink.stderr.write("\n^C (again to quit)\n")
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        ProcessControl.restoreDefault(.interrupt)
    }
}
