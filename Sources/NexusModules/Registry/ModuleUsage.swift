import NexusCore
import NexusPOSIX
import NexusStore
import Synchronization

/// How much the person uses each installed module, kept current for the tool picker's usage prior (`AppUsagePrior`)
/// without re-reading the whole call log each turn: the first read counts the log, each later one reads only the calls
/// recorded since (one indexed lookup of the newest id when there are none). The log is `module_calls`, so calls made
/// by another nexus process on the same home count too.
///
/// The evidence is that the person came back to the app, not how many calls the model made: a module counts one
/// visit per distinct hour (`visitSeconds`, of the log's `at`) with a successful call. A tool's output is hostile
/// text, and one that tells the model "call module X three times" would otherwise give X, in one turn, the full weight
/// of a habit (the prior saturates at a few visits: `AppUsagePrior.Settings.saturation`) among its look-alikes. Counted
/// by hour, that burst is one visit, two when it spans the turn of an hour; a habit takes hours on separate occasions,
/// which an injection cannot fake without the person coming back. What it costs: a new user's first hour counts
/// once however much they did in it (half the full weight at the default saturation of 3), and a day of steady use
/// counts as many visits as hours with a call. The log does not say which session made a call (no such column), and
/// an hour needs no migration: the grouping is one `CAST(at / 3600 AS INTEGER)` in the queries.
///
/// The first read costs about 9 ms per 20,000 logged calls (BENCHMARKS.md), so a session starts it at start-up
/// (`startReading`), on a thread and a read-only connection of its own, and the first turn finds it done. A turn that
/// comes before it is done waits for it `firstReadWaitMs` at most (`firstRead`, asleep, no thread held), then goes
/// without the prior, never with half a count. Waiting rather than going without at once: the log is bounded (the
/// newest 1,000 calls of each module are kept), so the wait covers the whole read of about a hundred busy modules, and
/// a one-shot `nexus -p` turn (which comes a few milliseconds after start) then gets the same picks as the same turn
/// later in a chat; a bound, so a huge log never holds a turn up for longer than that (a model's answer takes far
/// longer).
///
/// Reading on, a turn adds for each module the hours of its new calls that come after the newest hour it has counted
/// (`successfulHours`), so calls of one hour read across several turns still count once. A new call stamped in an
/// hour before that one (a clock set back, or another process's call at an hour's turn) adds nothing: at most one
/// visit is missed, none is counted twice.
///
/// Only enabled modules count: a disabled module's tools are never offered, so its visits are not read (the queries
/// skip it), and enabling it again brings them back. A module removed, or removed and installed again, follows the
/// log's rule (`successfulVisits`): its calls count from the start of its usage history (`usageStarts`), which an
/// upgrade keeps, and a reinstall keeps only when it brings back a build the person had under that name
/// (`continuedUsage`: the same content keeps the history, another build starts afresh). So each turn checks the
/// module lifecycle mark (one lookup) and, when it moved, reads the audit rows since (`modulesChanged`) and counts
/// again only the modules they name whose start or state changed: an approval or a vault row costs one range scan of
/// the new audit rows, not a look at every module.
public final class ModuleUsage: Sendable {
    /// The counts, and a version that changes whenever they do (a cache key for the prior built from them).
    public struct Snapshot: Sendable, Equatable {
        /// Visits (distinct clock hours with a successful call, `visitSeconds`) per enabled module: what the prior
        /// (`AppUsagePrior(visits:)`) weighs.
        public var visits: [String: Int]
        public var version: Int
    }

    private enum Phase {
        case unread, reading, counted
    }

    private struct State {
        var visits: [String: Int] = [:]
        /// Per module, the newest hour counted: later calls in it are the same visit.
        var newestHour: [String: Int] = [:]
        var lastID = 0
        var version = 0
        /// Per enabled module, where its usage history starts (`ModuleRegistry.usageStarts`).
        var startedAt: [String: Double] = [:]
        var mark = 0
        var phase = Phase.unread
    }

    /// How long a turn waits for the start-up read before it goes without the prior.
    public static let firstReadWaitMs = 50

    /// How long a visit is: the calls of one module in one hour of the clock (since the epoch) count once. Long
    /// enough for a turn's burst of calls, however many the model was told to make; short enough that an app used
    /// in the morning and again after lunch has two.
    public static let visitSeconds: Double = 3600

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
            case .reading: return Snapshot(visits: [:], version: 0)
            case .unread:
                guard let read = try? registry.usageCount() else {
                    return Snapshot(visits: s.visits, version: s.version)
                }
                s.phase = .counted
                adopt(read, into: &s)
            case .counted:
                followInstalls(&s)
                readOn(&s)
            }
            return Snapshot(visits: s.visits, version: s.version)
        }
    }

    private func adopt(_ read: ModuleRegistry.UsageCount, into s: inout State) {
        s.visits = read.visits.mapValues(\.count)
        s.newestHour = read.visits.mapValues(\.newestHour)
        s.lastID = read.lastID
        s.startedAt = read.startedAt
        s.mark = read.mark
        if !read.visits.isEmpty { s.version += 1 }
    }

    /// The calls recorded since the last read: the hours after each module's newest counted one are new visits.
    private func readOn(_ s: inout State) {
        guard let read = try? registry.successfulHours(after: s.lastID), read.lastID != s.lastID else { return }
        s.lastID = read.lastID
        var changed = false
        for (module, hours) in read.hours {
            let newest = s.newestHour[module] ?? Int.min
            let added = hours.filter { $0 > newest }
            guard let last = added.last else { continue }
            s.visits[module, default: 0] += added.count
            s.newestHour[module] = last
            changed = true
        }
        if changed { s.version += 1 }
    }

    /// When a module was installed, upgraded, enabled, disabled or removed since the last look: drops the counts of
    /// those no longer enabled and counts again those whose usage history starts elsewhere now (installed anew,
    /// enabled again), as the log does (from that start, up to the last call read). Only the modules the new audit
    /// rows name are looked at (`modulesChanged`); every module only when too many rows came in to read one by one.
    private func followInstalls(_ s: inout State) {
        guard let mark = try? registry.lifecycleMark(), mark != s.mark else { return }
        // A log that cannot be read now leaves the counts as they were; the mark stays, so the next turn tries.
        var visits = s.visits
        var newestHour = s.newestHour
        var startedAt = s.startedAt
        do {
            let looked: [String: Double?]
            if let changed = try registry.modulesChanged(after: s.mark, through: mark) {
                looked = try Dictionary(uniqueKeysWithValues: changed.map { ($0, try registry.usageStart(of: $0)) })
            } else {
                let starts = try registry.usageStarts()
                let names = Set(starts.keys).union(s.startedAt.keys)
                looked = Dictionary(uniqueKeysWithValues: names.map { ($0, starts[$0]) })
            }
            for (module, start) in looked where start != startedAt[module] {
                startedAt[module] = start
                let counted = start == nil ? nil : try registry.successfulVisits(of: module, through: s.lastID)
                visits[module] = counted?.count
                newestHour[module] = counted?.newestHour
            }
        } catch {
            return
        }
        s.mark = mark
        s.startedAt = startedAt
        s.newestHour = newestHour
        if visits != s.visits {
            s.visits = visits
            s.version += 1
        }
    }
}
