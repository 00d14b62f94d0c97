import NexusCore
import NexusModules
import NexusPOSIX
import NexusStore
import NexusTelemetry

/// What the usage prior costs a turn outside the ranking: `ModuleUsage.current()` over a call log in a real SQLite
/// file (200 installed modules, 20,000 calls, one every two minutes over the last four weeks, so each module's calls
/// fall in about a hundred distinct hours: the prior counts hours, `ModuleUsage.visitSeconds`). A session counts the
/// whole log at start-up, in the background (`ModuleUsage.startReading`); every turn then reads only the calls
/// recorded since, which is one lookup of the newest id when there are none. `picker.usage_first_turn` is what the
/// session's first turn pays for the prior.
enum PickerUsageCost {
    static let insert = "INSERT INTO module_calls (module, tool, at, latency_ms, outcome) VALUES (?, 't', ?, 1, ?)"

    static func rows(rounds: Int = 200) async -> [BenchRow] {
        let dir = "/tmp/nexus-usagebench-\(ProcessTimer.pidString)-\(MonotonicClock.nanoseconds())"
        defer { FileSystem.removeTree(dir) }
        let modules = 200
        let callsPerModule = 100
        let registry: ModuleRegistry
        do {
            registry = try Self.registry(in: dir, modules: modules)
            let database = registry.database
            let total = modules * callsPerModule
            let now = WallClock.now()
            try database.transaction { (tx: TransactionContext) in
                for i in 0..<total {
                    let row: [SQLValue] = [
                        .text("m\(i % modules)"), .double(now - Double(total - i) * 120),
                        .text(i % 10 == 0 ? "error" : "ok"),
                    ]
                    try tx.execute(Self.insert, row)
                }
            }
        } catch {
            return [.couldNotRun("picker.usage_refresh", reason: "could not make the call log in \(dir): \(error)")]
        }
        let firstTurn = await firstTurnRow(registry)
        let usage = ModuleUsage(registry: registry)
        let t0 = MonotonicClock.nanoseconds()
        let first = usage.current()
        let firstMs = MonotonicClock.millisSince(t0)
        var samples: [Double] = []
        for i in 0..<rounds {
            // Every tenth turn follows a call, as a turn after a tool call would.
            if i % 10 == 0 {
                do {
                    try registry.recordCall(
                        module: "m\(i % modules)", tool: "t", latencyMs: 1, outcome: "ok", error: nil)
                } catch {
                    return [
                        .couldNotRun("picker.usage_refresh", reason: "could not record a call in \(dir): \(error)")
                    ]
                }
            }
            let t = MonotonicClock.nanoseconds()
            _ = usage.current()
            samples.append(MonotonicClock.millisSince(t))
        }
        let stats = Stats(samples)
        let refresh = BenchRow(
            name: "picker.usage_refresh", p50: stats.percentile(0.5), p99: stats.percentile(0.99),
            note: "per turn, ModuleUsage.current() over \(modules * callsPerModule) logged calls of \(modules) "
                + "modules (\(first.visits.count) with successful calls; one turn in ten after a new call); "
                + "a whole read of the log (no read at start) takes \(BenchTable.fmt(firstMs)) ms")
        let afterAudit = await afterAuditRow(rounds: rounds)
        return [firstTurn, refresh, afterAudit, await HeldBackNoteCost.row(rounds: rounds)]
    }

    /// A turn after an audit row that changes no module (an approval of a tool call, as a vault action would write):
    /// p50/p99 of `ModuleUsage.current()` over 500 installed modules, the mark having moved since the last turn. It
    /// looks at the modules the new rows name (`ModuleRegistry.modulesChanged`): none. The note says what reading every
    /// module's start (`usageStarts()`, what a turn did before session 10) takes on the same file.
    static func afterAuditRow(rounds: Int) async -> BenchRow {
        let name = "picker.usage_after_audit_row"
        let dir = "/tmp/nexus-usagebench-audit-\(ProcessTimer.pidString)-\(MonotonicClock.nanoseconds())"
        defer { FileSystem.removeTree(dir) }
        let modules = 500
        let registry: ModuleRegistry
        do {
            registry = try Self.registry(in: dir, modules: modules)
            for m in 0..<modules {
                try registry.recordCall(module: "m\(m)", tool: "t", latencyMs: 1, outcome: "ok", error: nil)
            }
        } catch {
            return .couldNotRun(name, reason: "could not make the registry in \(dir): \(error)")
        }
        let usage = ModuleUsage(registry: registry)
        _ = usage.current()
        let request = ApprovalRequest(id: "bench", kind: .sensitiveTool, title: "A tool call", details: [])
        var i = 0
        let (turn, whole) = await sideBySide(rounds: rounds) {
            ModuleAudit.recordDecision(
                .yes, request: request, module: "m\(i % modules)", database: registry.database, bus: nil)
            i += 1
        } measured: {
            _ = usage.current()
        } against: {
            _ = try? registry.usageStarts()
        }
        return BenchRow(
            name: name, p50: turn.percentile(0.5), p99: turn.percentile(0.99),
            note: "per turn after an approval's audit row, ModuleUsage.current() over \(modules) modules: it looks at "
                + "the modules whose lifecycle the new rows changed (none); reading every module's start, as a turn "
                + "did before, takes \(BenchTable.fmt(whole.percentile(0.5))) ms p50 more")
    }

    /// A registry in a new SQLite file in `dir` with `modules` enabled modules `m0`, `m1`, …, installed 30 days ago,
    /// each with `tools` as its cached tool list.
    static func registry(in dir: String, modules: Int, tools: [MCPTool]? = nil) throws -> ModuleRegistry {
        try FileSystem.createDirectoryIfMissing(dir)
        let registry = ModuleRegistry(database: try Database(path: dir + "/nexus.db"))
        for m in 0..<modules {
            try registry.upsert(
                ModuleRecord(
                    name: "m\(m)", category: "bench", version: "1.0.0", path: dir, sha256: "0", source: "bench",
                    tools: tools, installedAt: WallClock.now() - 30 * 86_400))
        }
        return registry
    }

    /// `rounds` times: `prepare`, then `measured` and `against` timed one after the other (so machine load hits both
    /// alike): the two samples' stats.
    static func sideBySide(
        rounds: Int, prepare: () -> Void, measured: () async -> Void, against: () async -> Void
    ) async -> (measured: Stats, against: Stats) {
        var a: [Double] = []
        var b: [Double] = []
        for _ in 0..<rounds {
            prepare()
            let t = MonotonicClock.nanoseconds()
            await measured()
            a.append(MonotonicClock.millisSince(t))
            let t1 = MonotonicClock.nanoseconds()
            await against()
            b.append(MonotonicClock.millisSince(t1))
        }
        return (Stats(a), Stats(b))
    }

    /// The first turn of `sessions` sessions that each started the read at start-up: p50/p99 of the turn's
    /// `current()` once start-up's read is done (a chat's first turn, typed after the prompt appeared), and in the
    /// note how long the read took on its thread and what a turn asking at once (no start-up work between) waited.
    static func firstTurnRow(_ registry: ModuleRegistry, sessions: Int = 20) async -> BenchRow {
        var turn: [Double] = []
        var read: [Double] = []
        var atOnce: [Double] = []
        var whole = 0
        for _ in 0..<sessions {
            let usage = ModuleUsage(registry: registry)
            let t0 = MonotonicClock.nanoseconds()
            usage.startReading()
            while !usage.isCounted && MonotonicClock.millisSince(t0) < 10_000 { Pause.milliseconds(1) }
            read.append(MonotonicClock.millisSince(t0))
            let t1 = MonotonicClock.nanoseconds()
            _ = usage.current()
            turn.append(MonotonicClock.millisSince(t1))
            let eager = ModuleUsage(registry: registry)
            eager.startReading()
            let t2 = MonotonicClock.nanoseconds()
            await eager.firstRead()
            if !eager.current().visits.isEmpty { whole += 1 }
            atOnce.append(MonotonicClock.millisSince(t2))
        }
        let stats = Stats(turn)
        return BenchRow(
            name: "picker.usage_first_turn", p50: stats.percentile(0.5), p99: stats.percentile(0.99),
            note: "the session's first turn, \(sessions) sessions, after the read started at start-up: "
                + "the read takes \(BenchTable.fmt(Stats(read).percentile(0.5))) ms p50 on its own thread; a turn "
                + "asking at once waits \(BenchTable.fmt(Stats(atOnce).percentile(0.5))) ms p50 "
                + "(≤ \(ModuleUsage.firstReadWaitMs) ms) and had the whole count \(whole)/\(sessions) times")
    }
}
