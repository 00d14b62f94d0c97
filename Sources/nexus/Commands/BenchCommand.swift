import ArgumentParser
import NexusCore
import NexusStore
import NexusTelemetry

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus bench`: runs the benchmarks and appends their tables to BENCHMARKS.md (performance lives in
/// benchmarks, not timed tests). Each table carries the command, the machine, the date and the load.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run benchmarks and record them in BENCHMARKS.md.")

    static let suites = ["startup", "llm", "modules", "picker", "vault", "sandbox", "tui", "turn", "gate", "openapi", "metrics"]

    @Argument(help: "Which suite: startup, llm, modules, picker, vault, sandbox, tui, turn, gate, openapi, metrics, or all.")
    var suite: String = "all"

    @Option(help: "Runs per start-up measurement (the turn suite runs 10x as many turns).")
    var runs: Int = 30

    @Option(
        help: ArgumentHelp(
            "Another program to time next to nexus in the start-up suite (repeatable).", valueName: "path"))
    var peer: [String] = []

    @Option(help: ArgumentHelp("Append tables to this Markdown file (- for stdout only).", valueName: "file"))
    var output: String = "BENCHMARKS.md"

    func run() async throws {
        guard suite == "all" || Self.suites.contains(suite) else {
            throw NexusError(
                "unknown benchmark suite \(suite)",
                hint: "choose one of: \((Self.suites + ["all"]).joined(separator: ", "))",
                exit: .usage)
        }
        guard runs >= 1 else {
            throw NexusError("--runs must be at least 1, got \(runs)", hint: "e.g. --runs 30", exit: .usage)
        }
        let exe = SelfExecutable.path
        let machine = MachineDescription.current
        let selected = suite == "all" ? Self.suites : [suite]
        var sections: [String] = []
        var header = ""
        if output != "-" && !FileSystem.exists(output) { header = "# Benchmarks\n" }
        header += "\n## `\(command(suite))` — \(BenchClock.utcNow())\n\n"
        header += "Machine: \(machine). Binary: `\(exe)`. Load average at start: \(MachineDescription.loadAverage).\n"
        Terminal.out(header)
        var missed: [String] = []
        for name in selected {
            let load = MachineDescription.loadAverage
            Terminal.err("running \(name) …\n")
            let rows = await runSuite(name, executable: exe)
            missed += rows.filter { $0.passed == false }.map(\.name)
            let table = BenchTable.markdown(
                title: Self.titles[name] ?? name, command: command(name),
                machine: machine, date: BenchClock.utcNow(), load: load, rows: rows)
            Terminal.out(table + "\n")
            sections.append(table)
        }
        let summary = missed.isEmpty ? "\nAll targets met.\n" : "\nMissed: \(missed.joined(separator: ", ")).\n"
        Terminal.out(summary)
        if output != "-" {
            var existing = (try? FileSystem.readText(output)) ?? ""
            existing += header + "\n" + sections.joined(separator: "\n") + summary
            try FileSystem.writeAtomically(output, text: existing)
            Terminal.err("appended to \(output)\n")
        }
    }

    /// The command line that reproduces `suite` with the flags that affect it.
    func command(_ suite: String) -> String {
        var s = "nexus bench \(suite)"
        if runs != 30 && ["startup", "turn", "all"].contains(suite) { s += " --runs \(runs)" }
        if ["startup", "all"].contains(suite) { s += peer.map { " --peer \($0)" }.joined() }
        return s
    }

    static let titles = [
        "startup": "Start-up (process spawn to exit / to first prompt)",
        "llm": "LLM streaming (NexusLLM)",
        "modules": "Modules (NexusModules)",
        "picker": "Tool picker (NexusModules, bench/toolpicker fixtures)",
        "vault": "Vault (NexusVault)",
        "sandbox": "Sandbox (NexusSandbox)",
        "tui": "TUI frames (NexusTUI, off-screen)",
        "turn": "Orchestrator per-turn overhead (instant model)",
        "gate": "Module gate (NexusEvolution, testdata/gate-corpus)",
        "openapi": "OpenAPI builds against the farm (no model; acceptance checks as tool calls through nexus)",
        "metrics": "Metrics (NexusTelemetry): /metrics for 1,000 modules, recorder overhead per turn",
    ]

    func runSuite(_ name: String, executable: String) async -> [BenchRow] {
        switch name {
        case "startup":
            return StartupBenchmark.run(
                executable: executable, runs: runs, environment: ProcessEnvironment.current, peers: peer)
        case "llm": return await SubsystemBenchmarks.llm()
        case "modules": return await SubsystemBenchmarks.modules()
        case "picker":
            return SubsystemBenchmarks.picker(
                fixtures: SubsystemBenchmarks.locatePickerFixtures(
                    executable: executable, environment: ProcessEnvironment.current))
        case "vault": return SubsystemBenchmarks.vault()
        case "sandbox": return SubsystemBenchmarks.sandbox(executable: executable)
        case "tui": return SubsystemBenchmarks.tui()
        case "turn": return await TurnBenchmark.run(turns: max(200, runs * 10))
        case "metrics": return await MetricsBenchmark.run(turns: max(200, runs * 10))
        case "gate": return await GateBenchmark.run(executable: executable, environment: ProcessEnvironment.current)
        case "openapi":
            return await OpenAPIBenchmark.run(executable: executable, environment: ProcessEnvironment.current)
        default: return [.couldNotRun(name, reason: "unknown suite")]
        }
    }
}

/// This process's executable, for re-executing ourselves (jailer, benchmarks).
enum SelfExecutable {
    static var path: String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A one-line description of the machine for benchmark tables.
enum MachineDescription {
    static var current: String {
        let cpu =
            ((try? FileSystem.readText("/proc/cpuinfo")) ?? "").split(separator: "\n")
            .first { $0.hasPrefix("model name") }.map {
                $0.split(separator: ":", maxSplits: 1).last.map { String($0).trimmingCharacters } ?? ""
            } ?? "unknown CPU"
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        let mem = sysconf(Int32(_SC_PHYS_PAGES)) * sysconf(Int32(_SC_PAGESIZE)) / (1 << 30)
        return "\(cpu), \(cores) cores, \(mem) GiB"
    }

    /// The 1-, 5- and 15-minute load averages from /proc/loadavg ("?" when unreadable).
    static var loadAverage: String {
        let text = (try? FileSystem.readText("/proc/loadavg")) ?? ""
        let parts = text.split(separator: " ").prefix(3)
        return parts.count == 3 ? parts.joined(separator: " ") : "?"
    }
}

extension String {
    var trimmingCharacters: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
