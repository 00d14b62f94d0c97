import NexusCore
import NexusModules
import NexusPOSIX
import NexusStore
import NexusTelemetry

/// What the usage prior costs a turn outside the ranking: `ModuleUsage.current()` over a call log in a real SQLite
/// file (200 installed modules, 20,000 calls). The first read counts the whole log; every later turn reads only the
/// calls recorded since, which is one lookup of the newest id when there are none.
enum PickerUsageCost {
    static let insert = "INSERT INTO module_calls (module, tool, at, latency_ms, outcome) VALUES (?, 't', ?, 1, ?)"

    static func row(rounds: Int = 200) -> BenchRow {
        let dir = "/tmp/nexus-usagebench-\(ProcessTimer.pidString)-\(MonotonicClock.nanoseconds())"
        defer { FileSystem.removeTree(dir) }
        let modules = 200
        let callsPerModule = 100
        let registry: ModuleRegistry
        do {
            try FileSystem.createDirectoryIfMissing(dir)
            let database = try Database(path: dir + "/nexus.db")
            registry = ModuleRegistry(database: database)
            for m in 0..<modules {
                try registry.upsert(
                    ModuleRecord(
                        name: "m\(m)", category: "bench", version: "1.0.0", path: dir, sha256: "0", source: "bench",
                        installedAt: WallClock.now() - 60))
            }
            try database.transaction { (tx: TransactionContext) in
                for i in 0..<(modules * callsPerModule) {
                    let row: [SQLValue] = [
                        .text("m\(i % modules)"), .double(WallClock.now()), .text(i % 10 == 0 ? "error" : "ok"),
                    ]
                    try tx.execute(Self.insert, row)
                }
            }
        } catch {
            return .couldNotRun("picker.usage_refresh", reason: "could not make the call log in \(dir): \(error)")
        }
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
                    return .couldNotRun("picker.usage_refresh", reason: "could not record a call in \(dir): \(error)")
                }
            }
            let t = MonotonicClock.nanoseconds()
            _ = usage.current()
            samples.append(MonotonicClock.millisSince(t))
        }
        let stats = Stats(samples)
        return BenchRow(
            name: "picker.usage_refresh", p50: stats.percentile(0.5), p99: stats.percentile(0.99),
            note: "per turn, ModuleUsage.current() over \(modules * callsPerModule) logged calls of \(modules) "
                + "modules (\(first.calls.count) with successful calls; one turn in ten after a new call); "
                + "the first read counts the log in \(BenchTable.fmt(firstMs)) ms")
    }
}
