import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Synchronization
import Testing

@testable import NexusModules

/// How the usage prior's counts are kept (`ModuleUsage`): read once at start-up off the turn's path, never seen half
/// counted, and following the log's rule when a module is removed or installed again in the middle of a session.
@Suite struct ModuleUsageSpecs {
    static let insert = "INSERT INTO module_calls (module, tool, at, latency_ms, outcome) VALUES (?, 't', ?, 1, ?)"

    /// A real SQLite file with `modules` installed modules and `calls` logged calls, one a minute up to a minute ago,
    /// the modules in turn (one in ten failed).
    final class Home {
        let dir = TemporaryDirectory()
        let registry: ModuleRegistry
        /// The visits the logged calls make, counted here call by call: distinct clock hours with a successful call.
        let expected: [String: Int]

        init(modules: Int = 20, calls: Int = 0) throws {
            registry = ModuleRegistry(database: try Database(path: dir.path + "/nexus.db"))
            for m in 0..<modules {
                try registry.upsert(
                    ModuleRecord(
                        name: "m\(m)", category: "testing", version: "1.0.0", path: dir.path, sha256: "x",
                        source: "test", installedAt: WallClock.now() - 400 * 86_400))
            }
            let now = WallClock.now()
            var hours: [String: Set<Int>] = [:]
            try registry.database.transaction { (tx: TransactionContext) in
                for i in 0..<calls {
                    let outcome = i % 10 == 0 ? "error" : "ok"
                    let (module, at) = ("m\(i % modules)", now - Double(calls - i) * 60)
                    try tx.execute(ModuleUsageSpecs.insert, [.text(module), .double(at), .text(outcome)])
                    if outcome == "ok" { hours[module, default: []].insert(Int((at / 3600).rounded(.down))) }
                }
            }
            expected = hours.mapValues(\.count)
        }

        deinit { dir.remove() }

        func call(_ module: String, times: Int) throws {
            for _ in 0..<times {
                try registry.recordCall(module: module, tool: "t", latencyMs: 1, outcome: "ok", error: nil)
            }
        }

        /// What a fresh read of the log counts: the truth the session's counts must match.
        var truth: [String: Int] { (try? registry.successfulVisits().visits.mapValues(\.count)) ?? [:] }

        /// Successful calls of `module`, `each` in each of the clock hours `hoursAgo` (a few seconds apart, oldest
        /// hour first).
        func visit(_ module: String, hoursAgo: [Int], each: Int = 1) throws {
            for h in hoursAgo.sorted(by: >) {
                let start = AppUsagePriorSpecs.hour(h)
                try AppUsagePriorSpecs.log(registry, module, at: (0..<each).map { start + Double($0) })
            }
        }

        /// `module` installed the way the installer commits it (a row, a version row and an audit row in one
        /// transaction); `sha256` tells one build of it from another.
        func install(_ module: String, sha256: String) throws {
            let seq = (try registry.versions(module).map(\.seq).max() ?? 0) + 1
            try registry.commit(
                PendingOperation(
                    name: module, operation: "install", category: "testing", target: dir.path, staging: dir.path,
                    newSeq: seq, newVersion: "1.0.\(seq)", newSHA256: sha256, source: "test", createdBy: nil),
                manifestCreatedBy: nil)
        }
    }

    /// Waits (10 s at most) until `usage` has counted the log in the background.
    static func waitUntilCounted(_ usage: ModuleUsage) {
        let start = MonotonicClock.nanoseconds()
        while !usage.isCounted && MonotonicClock.millisSince(start) < 10_000 { Pause.milliseconds(1) }
    }

    /// Holds a read back until the spec lets it go (10 s at most).
    final class Gate: Sendable {
        private let open = Atomic<Bool>(false)
        func release() { open.store(true, ordering: .releasing) }
        func wait() {
            let start = MonotonicClock.nanoseconds()
            while !open.load(ordering: .acquiring) && MonotonicClock.millisSince(start) < 10_000 {
                Pause.milliseconds(1)
            }
        }
    }

    @Test func theCallLogIsCountedInTheBackgroundAndTheFirstTurnFindsItDone() throws {
        let home = try Home(calls: 100_000)
        let usage = ModuleUsage(registry: home.registry)
        usage.startReading()
        Self.waitUntilCounted(usage)
        #expect(usage.isCounted, "counted without any turn asking")
        let first = usage.current()
        #expect(first.calls == home.truth)
        #expect(first.calls == home.expected, "one visit per module and hour with a successful call")
    }

    @Test func theFirstTurnDoesNotWaitForTheCallLogToBeCounted() async throws {
        let home = try Home(calls: 20_000)
        let usage = ModuleUsage(registry: home.registry)
        // A log that takes as long as the spec says: the read finishes only when the turn has gone on without it.
        let gate = Gate()
        let registry = home.registry
        usage.startReading {
            gate.wait()
            return try registry.usageCount()
        }
        let start = MonotonicClock.nanoseconds()
        await usage.firstRead()
        let early = usage.current()
        let waited = MonotonicClock.millisSince(start)
        gate.release()
        #expect(early.calls.isEmpty, "no prior rather than a wait for the log")
        #expect(waited < 5_000, "waited \(waited) ms: the turn waited for the read")
        Self.waitUntilCounted(usage)
        let later = usage.current()
        #expect(later.calls == home.truth)
        #expect(later.version != early.version, "the prior is built once the counts are whole")
    }

    @Test func aTurnRightAfterStartWaitsBrieflyForTheWholeCountNeverForAPart() async throws {
        let home = try Home(calls: 50_000)
        let truth = home.truth
        for _ in 0..<5 {
            let usage = ModuleUsage(registry: home.registry)
            usage.startReading()
            // However far the read has got: nothing or everything.
            let now = usage.current()
            #expect(now.calls.isEmpty || now.calls == truth, "\(now.calls.values.reduce(0, +)) calls")
            // With room to wait (a one-shot turn on a slow machine), the whole count.
            await usage.firstRead(waitingAtMostMs: 10_000)
            #expect(usage.current().calls == truth)
        }
    }

    @Test func withNoModuleEnabledStartUpReadsNothingAndTheFirstTurnThatAsksCounts() async throws {
        let home = try Home(calls: 1_000)
        for m in 0..<20 { try home.registry.setState("m\(m)", .disabled) }
        let usage = ModuleUsage(registry: home.registry)
        usage.startReading()
        await usage.firstRead(waitingAtMostMs: 10_000)
        #expect(usage.current().calls == home.truth)
        #expect(home.truth == home.expected)
    }

    @Test func startUpReadsTheLogOnlyWhenTheModulesOfferMoreToolsThanATurnCanTake() throws {
        let home = try Home(modules: 2, calls: 1_000)
        let tools = (0..<3).map { MCPTool(name: "t\($0)", description: "A tool.", inputSchema: ["type": "object"]) }
        for m in 0..<2 { try home.registry.cacheTools("m\(m)", tools) }
        for (limit, read) in [(6, false), (5, true)] {
            let usage = ModuleUsage(registry: home.registry)
            usage.startReading(ifModuleToolsExceed: limit)
            let start = MonotonicClock.nanoseconds()
            while usage.isReading && MonotonicClock.millisSince(start) < 10_000 { Pause.milliseconds(1) }
            #expect(usage.isCounted == read, "6 tools, a budget of \(limit)")
            // Either way a turn that asks gets the whole count.
            #expect(usage.current().calls == home.truth)
        }
    }

    @Test func aModuleRemovedMidSessionLosesItsCountsAsTheLogDoes() throws {
        let home = try Home(modules: 3)
        try home.visit("m1", hoursAgo: [4, 3, 2, 1], each: 2)
        try home.visit("m2", hoursAgo: [3, 1])
        let usage = ModuleUsage(registry: home.registry)
        let before = usage.current()
        #expect(before.calls == ["m1": 4, "m2": 2])
        try home.registry.setState("m1", .archived)
        let after = usage.current()
        #expect(after.calls == home.truth)
        #expect(after.calls == ["m2": 2])
        #expect(after.version != before.version)
    }

    @Test func aModuleRemovedAndInstalledAgainMidSessionStartsAfreshAsTheLogDoes() throws {
        let home = try Home(modules: 3)
        try home.visit("m2", hoursAgo: [3, 1])
        try home.install("m1", sha256: "a")
        try home.call("m1", times: 4)
        let usage = ModuleUsage(registry: home.registry)
        // Installed just now: its four calls are one visit.
        #expect(usage.current().calls == ["m1": 1, "m2": 2])
        // Removed, then installed again under its name: the same build, and another module altogether.
        for sha256 in ["a", "b"] {
            try home.registry.setState("m1", .archived)
            Pause.milliseconds(2)  // the install's time is after every call before it
            try home.install("m1", sha256: sha256)
            #expect(usage.current().calls == home.truth, "installed again (\(sha256))")
            #expect(usage.current().calls["m1"] == nil)
            try home.call("m1", times: 1)
            #expect(usage.current().calls == ["m1": 1, "m2": 2])
            #expect(ModuleUsage(registry: home.registry).current().calls == usage.current().calls, "as a restart sees")
        }
    }

    @Test func anUpgradeKeepsTheAppsCounts() throws {
        let home = try Home(modules: 2)
        try home.visit("m1", hoursAgo: [3, 2, 1])
        let usage = ModuleUsage(registry: home.registry)
        #expect(usage.current().calls == ["m1": 3])
        try home.install("m1", sha256: "b")
        #expect(usage.current().calls == ["m1": 3], "an upgrade is the same app")
        #expect(home.truth == ["m1": 3])
    }

    @Test func callsOfOneHourReadOverSeveralTurnsCountOnce() throws {
        let home = try Home(modules: 2)
        try home.visit("m1", hoursAgo: [5], each: 3)
        let usage = ModuleUsage(registry: home.registry)
        let first = usage.current()
        #expect(first.calls == ["m1": 1])
        // More calls in the hour already counted: the same visit, and no new prior to build.
        try home.visit("m1", hoursAgo: [5], each: 2)
        #expect(usage.current() == first)
        // Back two hours later, then now, one call a turn: a visit each time, and calls in between add nothing.
        try home.visit("m1", hoursAgo: [3])
        #expect(usage.current().calls == ["m1": 2])
        for _ in 0..<3 {
            try home.call("m1", times: 1)
            #expect(usage.current().calls == ["m1": 3])
        }
        #expect(usage.current().calls == home.truth)
    }
}
