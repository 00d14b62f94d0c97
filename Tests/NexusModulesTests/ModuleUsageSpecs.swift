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
        #expect(first.visits == home.truth)
        #expect(first.visits == home.expected, "one visit per module and hour with a successful call")
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
        #expect(early.visits.isEmpty, "no prior rather than a wait for the log")
        #expect(waited < 5_000, "waited \(waited) ms: the turn waited for the read")
        Self.waitUntilCounted(usage)
        let later = usage.current()
        #expect(later.visits == home.truth)
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
            #expect(now.visits.isEmpty || now.visits == truth, "\(now.visits.values.reduce(0, +)) calls")
            // With room to wait (a one-shot turn on a slow machine), the whole count.
            await usage.firstRead(waitingAtMostMs: 10_000)
            #expect(usage.current().visits == truth)
        }
    }

    @Test func withNoModuleEnabledStartUpReadsNothingAndTheFirstTurnThatAsksCountsOnlyEnabledOnes() async throws {
        let home = try Home(calls: 1_000)
        for m in 0..<20 { try home.registry.setState("m\(m)", .disabled) }
        let usage = ModuleUsage(registry: home.registry)
        usage.startReading()
        await usage.firstRead(waitingAtMostMs: 10_000)
        #expect(!usage.isCounted, "nothing to rank: nothing read at start")
        #expect(usage.current().visits == [:], "a disabled module's tools are never offered: its visits do not count")
        #expect(home.truth == [:])
        try home.registry.setState("m3", .enabled)
        #expect(usage.current().visits == ["m3": try #require(home.expected["m3"])])
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
            #expect(usage.current().visits == home.truth)
        }
    }

    @Test func aModuleRemovedMidSessionLosesItsCountsAsTheLogDoes() throws {
        let home = try Home(modules: 3)
        try home.visit("m1", hoursAgo: [4, 3, 2, 1], each: 2)
        try home.visit("m2", hoursAgo: [3, 1])
        let usage = ModuleUsage(registry: home.registry)
        let before = usage.current()
        #expect(before.visits == ["m1": 4, "m2": 2])
        try home.registry.setState("m1", .archived)
        let after = usage.current()
        #expect(after.visits == home.truth)
        #expect(after.visits == ["m2": 2])
        #expect(after.version != before.version)
    }

    @Test func aModuleRemovedAndInstalledAgainAsAnotherBuildStartsAfresh() throws {
        let home = try Home(modules: 3)
        try home.visit("m2", hoursAgo: [3, 1])
        try home.install("m1", sha256: "a")
        try home.call("m1", times: 4)
        let usage = ModuleUsage(registry: home.registry)
        // Installed just now: its four calls are one visit.
        #expect(usage.current().visits == ["m1": 1, "m2": 2])
        // Removed, then another build installed under its name: any author can take a name.
        try home.registry.setState("m1", .archived)
        Pause.milliseconds(2)  // the install's time is after every call before it
        try home.install("m1", sha256: "b")
        #expect(usage.current().visits == home.truth)
        #expect(usage.current().visits["m1"] == nil)
        try home.call("m1", times: 1)
        #expect(usage.current().visits == ["m1": 1, "m2": 2])
        #expect(ModuleUsage(registry: home.registry).current().visits == usage.current().visits, "as a restart sees")
    }

    @Test func aModuleRemovedAndInstalledAgainAsABuildThePersonHadKeepsItsHistory() throws {
        let home = try Home(modules: 3)
        try home.install("m1", sha256: "a")
        try home.visit("m1", hoursAgo: [0])
        try home.install("m1", sha256: "b")  // upgraded
        try home.visit("m2", hoursAgo: [0])
        let usage = ModuleUsage(registry: home.registry)
        #expect(usage.current().visits == ["m1": 1, "m2": 1])
        // Removed and installed back as it was (a broken install fixed, a change of mind), then as the build it was
        // upgraded from: the same app each time, its history kept, mid-session and after a restart alike.
        for sha256 in ["b", "a"] {
            try home.registry.setState("m1", .archived)
            #expect(usage.current().visits == ["m2": 1], "removed: no evidence")
            Pause.milliseconds(2)
            try home.install("m1", sha256: sha256)
            #expect(usage.current().visits == ["m1": 1, "m2": 1], "installed again as build \(sha256)")
            #expect(ModuleUsage(registry: home.registry).current().visits == usage.current().visits)
        }
        // The vault's approval lineage still starts at the reinstall: only the usage history goes on.
        let approval = try #require(try ModuleApprovalsRepository(db: home.registry.database).approval(of: "m1"))
        #expect(approval.lineage == ["a"])
    }

    @Test func aModuleDisabledMidSessionStopsCountingAndEnabledAgainCountsAsBefore() throws {
        let home = try Home(modules: 3)
        try home.visit("m1", hoursAgo: [4, 3, 2])
        try home.visit("m2", hoursAgo: [1])
        let usage = ModuleUsage(registry: home.registry)
        let before = usage.current()
        #expect(before.visits == ["m1": 3, "m2": 1])
        try home.registry.setState("m1", .disabled)
        let disabled = usage.current()
        #expect(disabled.visits == ["m2": 1], "its tools are never offered")
        #expect(disabled.version != before.version)
        #expect(ModuleUsage(registry: home.registry).current().visits == ["m2": 1], "nor read at a restart")
        try home.registry.setState("m1", .enabled)
        #expect(usage.current().visits == ["m1": 3, "m2": 1], "its history was kept")
    }

    @Test func onlyTheAuditRowsOfAModulesLifecycleNameModulesToLookAtAgain() throws {
        let home = try Home(modules: 3)
        let registry = home.registry
        let start = try registry.lifecycleMark()
        // An approval of a tool call and a vault row: nothing about any module's install changed.
        ModuleAudit.recordDecision(
            .yes, request: ApprovalRequest(id: "a1", kind: .sensitiveTool, title: "Run m1's tool", details: []),
            module: "m1",
            database: registry.database, bus: nil)
        try AuditRepository(db: registry.database).record(
            actor: "vault", action: "store", target: "credential/m1/key", detail: nil)
        let afterApprovals = try registry.lifecycleMark()
        #expect(afterApprovals > start, "the mark moved")
        #expect(try registry.modulesChanged(after: start, through: afterApprovals) == [])
        try registry.setState("m2", .disabled)
        try home.install("m0", sha256: "c")
        let now = try registry.lifecycleMark()
        #expect(try registry.modulesChanged(after: afterApprovals, through: now) == ["m0", "m2"])
        #expect(try registry.modulesChanged(after: start, through: now, limit: 1) == nil, "too many: read them all")
    }

    @Test func anUpgradeKeepsTheAppsCounts() throws {
        let home = try Home(modules: 2)
        try home.visit("m1", hoursAgo: [3, 2, 1])
        let usage = ModuleUsage(registry: home.registry)
        #expect(usage.current().visits == ["m1": 3])
        try home.install("m1", sha256: "b")
        #expect(usage.current().visits == ["m1": 3], "an upgrade is the same app")
        #expect(home.truth == ["m1": 3])
    }

    @Test func callsOfOneHourReadOverSeveralTurnsCountOnce() throws {
        let home = try Home(modules: 2)
        try home.visit("m1", hoursAgo: [5], each: 3)
        let usage = ModuleUsage(registry: home.registry)
        let first = usage.current()
        #expect(first.visits == ["m1": 1])
        // More calls in the hour already counted: the same visit, and no new prior to build.
        try home.visit("m1", hoursAgo: [5], each: 2)
        #expect(usage.current() == first)
        // Back two hours later, then now, one call a turn: a visit each time, and calls in between add nothing.
        try home.visit("m1", hoursAgo: [3])
        #expect(usage.current().visits == ["m1": 2])
        for _ in 0..<3 {
            try home.call("m1", times: 1)
            #expect(usage.current().visits == ["m1": 3])
        }
        #expect(usage.current().visits == home.truth)
    }
}
