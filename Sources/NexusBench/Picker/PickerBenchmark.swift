import NexusCore
import NexusModules
import NexusPOSIX

/// `nexus bench picker`: the tool picker over the old synthetic set (10,000 tools, bench/toolpicker, kept for
/// comparison) and then over the realistic set (testdata/picker, `PickerRetrievalBenchmark`).
public enum PickerBenchmark {
    public static func run(fixtures: String?, environment: [String: String], progress: BenchProgress) async
        -> [BenchRow]
    {
        var rows = synthetic(fixtures: fixtures)
        if let fixtures {
            rows += await PickerRetrievalBenchmark.run(fixtures: fixtures, environment: environment, progress: progress)
            rows += await PickerTurnCost.run(fixtures: fixtures)
        }
        rows += await PickerUsageCost.rows()
        rows.append(PickerTypoCost.row(fixtures: fixtures))
        return rows
    }

    static func synthetic(fixtures: String?) -> [BenchRow] {
        guard let dir = fixtures else {
            return [
                .couldNotRun(
                    "toolpicker", target: "p50 ≤ 1 ms, recall@5 ≥ 0.9",
                    reason: "bench/toolpicker/catalog.jsonl not found (run from the repository root)")
            ]
        }
        do {
            let r = try ToolPickerBenchmarks.measure(
                catalogPath: dir + "/catalog.jsonl", queriesPath: dir + "/queries.jsonl")
            return [
                BenchRow(
                    name: "toolpicker.pick_top5", p50: r.p50Ms, p99: r.p99Ms, target: "p50 ≤ 1 ms",
                    passed: BenchRow.atMost(r.p50Ms, 1),
                    note: "\(r.tools) tools, \(r.queries) queries; index built in \(BenchmarkFormat.ms(r.buildMs)) ms"),
                BenchRow(
                    name: "toolpicker.recall_at_5", p50: r.recallAt5, p99: r.recallAt5, unit: "ratio", target: "≥ 0.9",
                    passed: BenchRow.atLeast(r.recallAt5, 0.9),
                    note: "recall@1 \(BenchmarkFormat.ms(r.recallAt1)); \(r.misses.count) misses"),
            ]
        } catch {
            return [
                .couldNotRun("toolpicker", target: "p50 ≤ 1 ms, recall@5 ≥ 0.9", reason: error.userFacingDescription)
            ]
        }
    }

    /// The tool picker fixtures: ./bench/toolpicker, else in the checkout the binary was built in.
    public static func locateFixtures(executable: String, environment: [String: String]) -> String? {
        var candidates = ["bench/toolpicker"]
        if let pwd = environment["PWD"] { candidates.append(pwd + "/bench/toolpicker") }
        // …/checkout/.build/<triple>/release/nexus (or .build/release/nexus): the checkout holds `.build`.
        let parts = executable.split(separator: "/", omittingEmptySubsequences: false)
        if let build = parts.lastIndex(where: { $0.hasPrefix(".build") }) {
            candidates.append(parts[..<build].joined(separator: "/") + "/bench/toolpicker")
        }
        return candidates.first {
            FileSystem.isReadable($0 + "/catalog.jsonl") && FileSystem.isReadable($0 + "/queries.jsonl")
        }
    }
}
