import NexusCore

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    @preconcurrency import Darwin
#endif

/// The tool picker's benchmark for `nexus bench`: pick latency over a 10,000-tool catalogue and recall@5 on
/// labelled queries (bench/toolpicker/catalog.jsonl and queries.jsonl). Targets: p50 ≤ 1 ms, recall@5 ≥ 0.9.
public enum ToolPickerBenchmarks {
    /// Everything one run measured, including which queries missed (for tuning and reports).
    public struct Report: Sendable {
        public var tools: Int
        public var queries: Int
        public var buildMs: Double
        public var p50Ms: Double
        public var p99Ms: Double
        public var recallAt1: Double
        public var recallAt5: Double
        public var misses: [(query: String, expected: String, got: [String])]
    }

    /// The lead's entry point. On unreadable fixtures it prints the error to stderr and returns NaN latencies
    /// and zero recall, so a broken fixture shows up as a failed target rather than a crash.
    public static func run(catalogPath: String, queriesPath: String)
        -> (p50Ms: Double, p99Ms: Double, recallAt5: Double)
    {
        do {
            let r = try measure(catalogPath: catalogPath, queriesPath: queriesPath)
            return (r.p50Ms, r.p99Ms, r.recallAt5)
        } catch {
            fputs("tool picker benchmark: \(error.userFacingDescription)\n", stderr)
            return (.nan, .nan, 0)
        }
    }

    /// Builds the index, then times every query `rounds` times (after one warm-up pass) and scores recall.
    public static func measure(catalogPath: String, queriesPath: String, rounds: Int = 20) throws(ToolCatalogError)
        -> Report
    {
        let tools = try ToolCatalogFile.loadTools(path: catalogPath)
        let queries = try ToolCatalogFile.loadQueries(path: queriesPath)
        let start = MonotonicClock.nanoseconds()
        let index = ToolIndex(tools)
        let buildMs = MonotonicClock.millisSince(start)

        var hits1 = 0
        var hits5 = 0
        var misses: [(query: String, expected: String, got: [String])] = []
        for q in queries {
            let names = index.pick(query: q.query, k: 5).map(\.name)
            if names.first == q.expected { hits1 += 1 }
            if names.contains(q.expected) { hits5 += 1 } else { misses.append((q.query, q.expected, names)) }
        }
        var samples: [Double] = []
        samples.reserveCapacity(queries.count * max(rounds, 1))
        var sink = 0
        for _ in 0..<max(rounds, 1) {
            for q in queries {
                let t0 = MonotonicClock.nanoseconds()
                sink &+= index.rank(query: q.query, k: 5).count
                samples.append(MonotonicClock.millisSince(t0))
            }
        }
        let stats = Stats(samples)
        func percentile(_ p: Double) -> Double { samples.isEmpty ? .nan : stats.percentile(p) }
        let n = Double(max(queries.count, 1))
        _ = sink
        return Report(
            tools: tools.count, queries: queries.count, buildMs: buildMs, p50Ms: percentile(0.5),
            p99Ms: percentile(0.99),
            recallAt1: Double(hits1) / n, recallAt5: Double(hits5) / n, misses: misses)
    }
}
