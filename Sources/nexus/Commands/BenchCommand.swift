import ArgumentParser
import NexusBench
import NexusCore
import NexusPOSIX
import NexusStore

/// `nexus bench`: runs the benchmarks and appends their tables to BENCHMARKS.md (performance lives in
/// benchmarks, not timed tests). Each table carries the command, the machine, the date and the load.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run benchmarks and record them in BENCHMARKS.md.")

    static let suites = [
        "startup", "llm", "modules", "picker", "vault", "sandbox", "tui", "turn", "gate", "openapi", "metrics",
    ]

    @Argument(
        help: "Which suite: startup, llm, modules, picker, vault, sandbox, tui, turn, gate, openapi, metrics, or all.")
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
                title: BenchSuites.titles[name] ?? name, command: command(name),
                machine: machine, date: BenchClock.utcNow(), load: load, rows: rows)
            Terminal.out(table + "\n")
            sections.append(table)
        }
        let summary = missed.isEmpty ? "\nAll targets met.\n" : "\nMissed: \(missed.joined(separator: ", ")).\n"
        Terminal.out(summary)
        if output != "-" {
            // No report file yet: start a new one (the write below reports its own failure).
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

    func runSuite(_ name: String, executable: String) async -> [BenchRow] {
        var options = BenchOptions(
            executable: executable, runs: runs, peers: peer, environment: ProcessEnvironment.current,
            farm: FarmCommand.locate(ProcessEnvironment.current), progress: { Terminal.err($0) })
        options.spanTransport = CurlSpanTransport()
        return await BenchSuites.run(name, options) ?? [.couldNotRun(name, reason: "unknown suite")]
    }
}

/// This process's executable, for re-executing ourselves (jailer, benchmarks).
enum SelfExecutable {
    static var path: String { ProcessControl.executablePath }
}
