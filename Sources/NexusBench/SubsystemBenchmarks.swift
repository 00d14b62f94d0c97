import NexusCore
import NexusLLM
import NexusModules
import NexusSandbox
import NexusTUI
import NexusVault

/// Adapts each subsystem's own benchmark entry point to `BenchRow`s with its target and verdict, so
/// `nexus bench` needs to know nothing of how a subsystem measures itself.
enum SubsystemBenchmarks {
    /// NexusLLM: SSE parse/decode throughput and token latency.
    static func llm() async -> [BenchRow] { await LLMBenchmarks.run().map { $0.row(prefix: "llm.") } }

    /// NexusModules: cold start, warm call, idle cost, registry with 1,000 modules.
    static func modules() async -> [BenchRow] {
        let results = await ModuleBenchmarks.run()
        if results.isEmpty { return [.couldNotRun("modules", reason: "could not write the bench module to /tmp")] }
        return results.map { $0.row(prefix: "modules.") }
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
}

/// Number formatting for notes (tables use `BenchTable.fmt`).
public enum BenchmarkFormat {
    public static func ms(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        return "\((v * 100).rounded() / 100)"
    }
}
