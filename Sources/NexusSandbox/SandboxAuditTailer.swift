import NexusCore
import Synchronization

/// Brings the sandbox audit log into the serving session: every module runs under a jailer in a process
/// of its own, so the session learns of a module's egress, and of `nexus sandbox exec` runs, only from
/// the lines those jailers append. The tailer follows the file (`AuditLogFollower`) about once a second
/// on a task of its own and publishes each record as `.egress` or `.sandboxRun` (turn 0) on the bus.
///
/// The file is trusted no more than any input: a line that is not a record the jailer writes (garbage,
/// an overlong line, control characters, an unknown kind) is skipped, and each poll that skipped something
/// says so in one line through `warn`. Nothing here blocks a turn: it only publishes.
public final class SandboxAuditTailer: Sendable {
    public let path: String
    let bus: EventBus
    let interval: Double
    let warn: @Sendable (String) -> Void
    private let follower: Mutex<AuditLogFollower>
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Positions at the end of `path` (or notes that it is missing); `start` begins following.
    public init(
        path: String, bus: EventBus, interval: Double = 1, lineLimit: Int = SandboxAuditRecord.maxLineBytes,
        warn: @escaping @Sendable (String) -> Void
    ) {
        self.path = path
        self.bus = bus
        self.interval = max(0.01, interval)
        self.warn = warn
        follower = Mutex(AuditLogFollower(path: path, lineLimit: lineLimit))
    }

    /// Polls every `interval` seconds until `stop`.
    public func start() {
        let seconds = interval
        let t = Task.detached { [self] in
            while !Task.isCancelled {
                poll()
                do { try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) } catch { return }
            }
        }
        task.withLock { $0 = t }
    }

    /// Stops polling, after reading what was appended since the last poll.
    public func stop() async {
        let t = task.withLock { t in
            defer { t = nil }
            return t
        }
        t?.cancel()
        await t?.value
        poll()
    }

    /// Reads what was appended and publishes it; returns how many events were published.
    @discardableResult
    public func poll() -> Int {
        let batch = follower.withLock { $0.poll() }
        var skipped = batch.skipped
        var published = 0
        for line in batch.lines {
            switch SandboxAuditRecord.parse(line) {
            case .success(let record):
                bus.publish(turn: 0, record.event)
                published += 1
            case .failure(let why):
                skipped.append(why.reason)
            }
        }
        if let first = skipped.first {
            let more = skipped.count > 1 ? " (and \(skipped.count - 1) more)" : ""
            warn("sandbox audit log \(path): skipped \(first)\(more)")
        }
        return published
    }
}
