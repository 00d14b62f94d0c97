import NexusBench
import NexusCore
import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus bench picker`: NexusModules' tool picker over the 10,000-tool fixture catalogue. Still wired here
/// while the tool-retrieval work reshapes the picker; it joins the other suites in NexusBench after that.
enum PickerBenchmark {
    static func run(fixtures: String?) -> [BenchRow] {
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
    static func locateFixtures(executable: String, environment: [String: String]) -> String? {
        var candidates = ["bench/toolpicker"]
        if let pwd = environment["PWD"] { candidates.append(pwd + "/bench/toolpicker") }
        // …/checkout/.build/<triple>/release/nexus (or .build/release/nexus): the checkout holds `.build`.
        let parts = executable.split(separator: "/", omittingEmptySubsequences: false)
        if let build = parts.lastIndex(where: { $0.hasPrefix(".build") }) {
            candidates.append(parts[..<build].joined(separator: "/") + "/bench/toolpicker")
        }
        return candidates.first { access($0 + "/catalog.jsonl", R_OK) == 0 && access($0 + "/queries.jsonl", R_OK) == 0 }
    }
}
