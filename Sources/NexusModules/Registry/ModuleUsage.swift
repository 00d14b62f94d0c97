import Synchronization

/// The person's successful calls per installed module, kept current for the tool picker's usage prior
/// (`AppUsagePrior`) without re-reading the whole call log each turn: the first read counts the log, each later one
/// reads only the calls recorded since (one indexed lookup of the newest id when there are none). The log is
/// `module_calls`, so calls made by another nexus process on the same home count too.
public final class ModuleUsage: Sendable {
    /// The counts, and a version that changes whenever they do (a cache key for the prior built from them).
    public struct Snapshot: Sendable, Equatable {
        public var calls: [String: Int]
        public var version: Int
    }

    private struct State {
        var calls: [String: Int] = [:]
        var lastID = 0
        var version = 0
    }

    private let registry: ModuleRegistry
    private let state = Mutex(State())

    public init(registry: ModuleRegistry) {
        self.registry = registry
    }

    /// The counts as of now. A log that cannot be read leaves the last counts (the prior is a hint, not a record).
    public func current() -> Snapshot {
        state.withLock { s in
            if let read = try? registry.successfulCalls(after: s.lastID), read.lastID != s.lastID {
                s.lastID = read.lastID
                if !read.calls.isEmpty {
                    for (module, n) in read.calls { s.calls[module, default: 0] += n }
                    s.version += 1
                }
            }
            return Snapshot(calls: s.calls, version: s.version)
        }
    }
}
