import Dispatch
import NexusPOSIX

/// Ctrl-C cancels the running turn, not the program: SIGINT is caught through a dispatch source and
/// handed to the session. A second Ctrl-C within a second while nothing is running exits (status 130).
final class InterruptWatcher: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private var last: UInt64 = 0

    init(onInterrupt: @escaping @Sendable () -> Void) {
        ProcessControl.ignore(.interrupt)
        source = DispatchSource.makeSignalSource(
            signal: ProcessControl.Signal.interrupt.number, queue: DispatchQueue(label: "nexus.sigint"))
        source.setEventHandler { [unowned self] in
            let now = DispatchTime.now().uptimeNanoseconds
            if now - self.last < 1_000_000_000 {
                ProcessControl.exitImmediately(130)
            }
            self.last = now
            onInterrupt()
            OutputSink.stderr.write("\n^C (again to quit)\n")
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        ProcessControl.restoreDefault(.interrupt)
    }
}
