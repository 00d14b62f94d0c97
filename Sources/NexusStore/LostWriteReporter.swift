import NexusCore
import NexusPOSIX
import Synchronization

/// Says so when nexus could not save something (a history row, a module's health or tool cache) instead
/// of dropping it without a word: the first failure of each kind in a session becomes a `.notice` the
/// person sees, and every failure becomes a line in `logs/nexus.log`.
///
/// Why not fail the turn: the answer in front of the person is still right; what is lost is what a
/// later session would have read back. Why not stay silent: a full disk or a read-only database would
/// then lose every later turn's history without anyone knowing.
public final class LostWriteReporter: Sendable {
    let bus: EventBus
    /// `logs/nexus.log`, or nil for no file (tests, throwaway sessions).
    public let logPath: String?
    private let reported = Mutex<Set<String>>([])

    public init(bus: EventBus, logsDirectory: String?) {
        self.bus = bus
        self.logPath = logsDirectory.map { $0 + "/nexus.log" }
    }

    /// Reports that `what` (e.g. "conversation history") was not saved because of `error`.
    public func report(_ what: String, _ error: any Error, turn: Int) {
        let reason = error.userFacingDescription
        if let logPath {
            let line = "[\(Int(WallClock.now()))] turn \(turn): \(what) not saved: \(reason)\n"
            // The log is the fallback record; when it cannot be written either, the notice below still is.
            try? FileSystem.append(logPath, mode: 0o600) { _ in Array(line.utf8) }
        }
        guard reported.withLock({ $0.insert(what).inserted }) else { return }
        let more = logPath == nil ? "" : " (later failures are logged to \(logPath ?? ""))"
        bus.publish(turn: turn, .notice("\(what) not saved: \(reason)\(more)"))
    }
}
