import NexusCore
import NexusModules

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
