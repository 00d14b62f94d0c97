import NexusCore
import NexusLLM
import NexusModules
import NexusSandbox
import NexusTUI
import NexusVault

#if canImport(Glibc)
    import Glibc
#endif

/// Adapts each subsystem's own benchmark entry point to `BenchRow`s with its target and verdict, so
/// `nexus bench` needs to know nothing of how a subsystem measures itself.
enum SubsystemBenchmarks {
    /// NexusLLM: SSE parse/decode throughput and token latency.
    static func llm() async -> [BenchRow] {
        await LLMBenchmarks.run().map { r in
            let throughput = r.p50 == nil
            return BenchRow(
                name: "llm.\(r.name)", p50: r.p50 ?? r.value, p99: r.p99 ?? (throughput ? .nan : r.value), unit: r.unit,
                target: r.target, passed: r.passed, note: throughput ? "best of several passes" : "")
        }
    }

    /// NexusModules: cold start, warm call, idle cost, registry with 1,000 modules.
    static func modules() async -> [BenchRow] {
        let results = await ModuleBenchmarks.run()
        if results.isEmpty { return [.couldNotRun("modules", reason: "could not write the bench module to /tmp")] }
        return results.map { r in
            // Latencies carry p50/p99; other units (ratios, wake-ups/s) carry their headline in `value`.
            let latency = r.unit == "ms"
            return BenchRow(
                name: "modules.\(r.name)", p50: latency ? (r.p50 ?? r.value) : r.value,
                p99: latency ? (r.p99 ?? .nan) : .nan,
                unit: r.unit, target: r.target,
                passed: r.passed, note: r.note ?? "")
        }
    }

    /// NexusModules' tool picker over the 10,000-tool fixture catalogue.
    static func picker(fixtures: String?) -> [BenchRow] {
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

    /// NexusVault: open with a key file + decrypt one, redaction of 1 MB with 100 secrets.
    static func vault() -> [BenchRow] {
        let rows = VaultBenchmarks.run(tempDir: "/tmp")
        if rows.isEmpty { return [.couldNotRun("vault", reason: "could not create a vault in /tmp")] }
        return rows.map { r in
            switch r.name {
            case "vault.open_keyfile_decrypt_one":
                return BenchRow(
                    name: r.name, p50: r.p50Ms, p99: r.p99Ms, target: "≤ 2 ms", passed: BenchRow.atMost(r.p50Ms, 2))
            case "vault.redact_1mb_100_secrets":
                return BenchRow(
                    name: r.name, p50: r.p50Ms, p99: r.p99Ms, target: "≤ 5 ms", passed: BenchRow.atMost(r.p50Ms, 5))
            default:
                return BenchRow(
                    name: r.name, p50: r.p50Ms, p99: r.p99Ms, note: "for comparison (includes opening SQLite)")
            }
        }
    }

    /// NexusSandbox: exec-mode overhead over a bare `python3 -c pass`, egress proxy throughput.
    static func sandbox(executable: String) -> [BenchRow] {
        let rows = SandboxBenchmarks.run(nexusExecutable: executable)
        return rows.map { r in
            switch r.name {
            case "sandbox.exec_overhead":
                return BenchRow(
                    name: r.name, p50: r.p50Ms, p99: r.p99Ms, unit: r.unit, target: "p50 ≤ 40 ms",
                    passed: BenchRow.atMost(r.p50Ms, 40), note: "exec_python − bare_python")
            case "sandbox.proxy_throughput":
                return BenchRow(
                    name: r.name, p50: r.p50Ms, p99: r.p99Ms, unit: r.unit, target: "≥ 50 MB/s",
                    passed: BenchRow.atLeast(r.p50Ms, 50), note: "p50 = median of 3 × 128 MB, p99 column = worst")
            default:
                let failed = !r.p50Ms.isFinite
                return BenchRow(
                    name: r.name, p50: r.p50Ms, p99: r.p99Ms, unit: r.unit, passed: failed ? false : nil,
                    note: failed ? "no successful run" : "")
            }
        }
    }

    /// NexusTUI: frame composition while streaming, CPU share, key-to-echo.
    static func tui() -> [BenchRow] {
        TUIBenchmarks.run().map { r in
            switch r.name {
            case "tui.frame.stream_160x48":
                return BenchRow(
                    name: r.name, p50: r.p50Ms, p99: r.p99Ms, target: "p99 ≤ 4 ms", passed: BenchRow.atMost(r.p99Ms, 4))
            case "tui.stream.cpu_percent":
                return BenchRow(
                    name: r.name, p50: r.p50Ms, p99: r.p99Ms, unit: "% of a core", target: "≤ 15 %",
                    passed: BenchRow.atMost(r.p50Ms, 15), note: "5,000 tokens at 500 tok/s, 60 fps")
            case "tui.key_to_echo":
                return BenchRow(
                    name: r.name, p50: r.p50Ms, p99: r.p99Ms, target: "p99 ≤ 5 ms", passed: BenchRow.atMost(r.p99Ms, 5))
            default:
                return BenchRow(name: r.name, p50: r.p50Ms, p99: r.p99Ms)
            }
        }
    }

    /// The tool picker fixtures: ./bench/toolpicker, else in the checkout the binary was built in.
    static func locatePickerFixtures(executable: String, environment: [String: String]) -> String? {
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

/// Number formatting for notes (tables use BenchmarkReport.fmt).
enum BenchmarkFormat {
    static func ms(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        return "\((v * 100).rounded() / 100)"
    }
}
