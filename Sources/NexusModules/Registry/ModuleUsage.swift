import NexusCore
import NexusPOSIX
import NexusStore
import Synchronization

/// The person's successful calls per installed module, kept current for the tool picker's usage prior
/// (`AppUsagePrior`) without re-reading the whole call log each turn: the first read counts the log, each later one
/// reads only the calls recorded since (one indexed lookup of the newest id when there are none). The log is
/// `module_calls`, so calls made by another nexus process on the same home count too.
///
/// The first read costs about 9 ms per 20,000 logged calls, so a session starts it at start-up (`startReading`), on a
/// thread and a read-only connection of its own, and the first turn finds it done. A turn that comes before it is
/// done waits for it `firstReadWaitMs` at most (`firstRead`, asleep, no thread held), then goes without the prior,
/// never with half a count. Waiting rather than going without at once: the log is bounded (the newest 1,000 calls of
/// each module are kept), so the wait covers the whole read of about a hundred busy modules, and a one-shot
/// `nexus -p` turn (which comes a few milliseconds after start) then gets the same picks as the same turn later in a
/// chat; a bound, so a huge log never holds a turn up for longer than that (a model's answer takes far longer).
///
/// A module removed, or removed and installed again, follows the log's rule (`successfulCalls`): its calls count from
/// its latest install. The log names the module only, and an install after a remove may be another module under the
/// same name; the registry restarts its own counters then too. So each turn checks the module lifecycle mark (one
/// lookup) and, when it moved, counts again only the modules whose install changed.
public final class ModuleUsage: Sendable {
    /// The counts, and a version that changes whenever they do (a cache key for the prior built from them).
    public struct Snapshot: Sendable, Equatable {
        public var calls: [String: Int]
        public var version: Int
    }

    private enum Phase {
        case unread, reading, counted
    }

    private struct State {
        var calls: [String: Int] = [:]
        var lastID = 0
        var version = 0
        var installedAt: [String: Double] = [:]
        var mark = 0
        var phase = Phase.unread
    }

    /// How long a turn waits for the start-up read before it goes without the prior.
    public static let firstReadWaitMs = 50

    private let registry: ModuleRegistry
    private let state = Mutex(State())

    public init(registry: ModuleRegistry) {
        self.registry = registry
    }

    /// Whether the whole log has been counted (by `startReading`, or by a first `current()`).
    public var isCounted: Bool { state.withLock { $0.phase == .counted } }

    /// Whether the start-up read is under way.
    var isReading: Bool { state.withLock { $0.phase == .reading } }

    /// Starts the first, whole read of the log on a thread of its own, on a read-only connection to the database
    /// file (the session's connection stays free for start-up's writes); once. Without a file (an in-memory
    /// database) or a second connection, it reads through the session's; without a thread, the first turn reads.
    /// When the enabled modules offer no more than `limit` tools (the turn's budget less the built-in tools), no
    /// turn will rank them and nothing is read: the read's CPU time is not free on a busy two-core machine, and a
    /// turn that needs the counts after all (a module installed since) reads them then.
    public func startReading(ifModuleToolsExceed limit: Int = 0) {
        let registry = registry
        startReading {
            // Two short queries on the session's connection; the long read on a connection of its own.
            guard try registry.enabledModulesOfferMoreTools(than: limit) else { return nil }
            let path = registry.database.path
            let reader = (path.hasPrefix("/") ? try? Database(readingOnly: path) : nil).map {
                ModuleRegistry(database: $0)
            }
            return try (reader ?? registry).usageCount()
        }
    }

    /// `startReading` with the read given (specs hold it back to play a slow log); a read of nil leaves the log
    /// unread.
    func startReading(_ count: @escaping @Sendable () throws -> ModuleRegistry.UsageCount?) {
        let begin = state.withLock { s in
            guard s.phase == .unread else { return false }
            s.phase = .reading
            return true
        }
        guard begin else { return }
        let started = DetachedThread.start(name: "nexus-usage") { [self] in
            // An unreadable log, or none worth reading now, leaves it to the first turn that asks (the prior is a
            // hint, not a record).
            let read = try? count()
            state.withLock { s in
                guard let read else {
                    s.phase = .unread
                    return
                }
                s.phase = .counted
                adopt(read, into: &s)
            }
        }
        if !started { state.withLock { $0.phase = .unread } }
    }

    /// Waits until the start-up read is done, `waitMs` at most, without holding a thread (a turn's picker calls it
    /// before `current()`). At once when no read is under way.
    public func firstRead(waitingAtMostMs waitMs: Int = firstReadWaitMs) async {
        let deadline = MonotonicClock.nanoseconds() + UInt64(max(waitMs, 0)) * 1_000_000
        while isReading && MonotonicClock.nanoseconds() < deadline {
            do { try await Task.sleep(for: .milliseconds(1)) } catch { return }
        }
    }

    /// The counts as of now; none while the start-up read is under way (never part of them: see `firstRead`). A log
    /// that cannot be read leaves the last counts (the prior is a hint, not a record).
    public func current() -> Snapshot {
        return state.withLock { s in
            switch s.phase {
            case .reading: return Snapshot(calls: [:], version: 0)
            case .unread:
                guard let read = try? registry.usageCount() else { return Snapshot(calls: s.calls, version: s.version) }
                s.phase = .counted
                adopt(read, into: &s)
            case .counted:
                followInstalls(&s)
                readOn(&s)
            }
            return Snapshot(calls: s.calls, version: s.version)
        }
    }

    private func adopt(_ read: ModuleRegistry.UsageCount, into s: inout State) {
        s.calls = read.calls
        s.lastID = read.lastID
        s.installedAt = read.installedAt
        s.mark = read.mark
        if !read.calls.isEmpty { s.version += 1 }
    }

    /// The calls recorded since the last read.
    private func readOn(_ s: inout State) {
        guard let read = try? registry.successfulCalls(after: s.lastID), read.lastID != s.lastID else { return }
        s.lastID = read.lastID
        guard !read.calls.isEmpty else { return }
        for (module, n) in read.calls { s.calls[module, default: 0] += n }
        s.version += 1
    }

    /// When a module was installed or removed since the last look: drops the removed ones' counts and counts again
    /// those installed anew, as the log does (from their install, up to the last call read).
    private func followInstalls(_ s: inout State) {
        guard let mark = try? registry.lifecycleMark(), mark != s.mark,
            let installed = try? registry.installedTimes()
        else { return }
        var calls = s.calls.filter { installed[$0.key] != nil }
        for (module, at) in installed where s.installedAt[module] != at {
            guard let n = try? registry.successfulCalls(of: module, through: s.lastID) else { return }
            calls[module] = n > 0 ? n : nil
        }
        s.mark = mark
        s.installedAt = installed
        if calls != s.calls {
            s.calls = calls
            s.version += 1
        }
    }
}
