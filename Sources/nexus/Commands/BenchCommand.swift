import ArgumentParser
import NexusCore
import NexusStore
import NexusTelemetry

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus bench`: runs the benchmarks and appends their tables to BENCHMARKS.md (performance lives in
/// benchmarks, not timed tests).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run benchmarks and record them in BENCHMARKS.md.")

    @Argument(help: "Which suite: startup, all.")
    var suite: String = "all"

    @Option(help: "Runs per measurement.")
    var runs: Int = 30

    @Option(help: ArgumentHelp("Append tables to this Markdown file (- for stdout only).", valueName: "file"))
    var output: String = "BENCHMARKS.md"

    func run() async throws {
        let exe = SelfExecutable.path
        var sections: [String] = []
        let machine = MachineDescription.current
        let known = ["startup", "all"]
        guard known.contains(suite) else {
            throw NexusError("unknown benchmark suite \(suite)", hint: "choose one of: \(known.joined(separator: ", "))", exit: .usage)
        }
        if suite == "startup" || suite == "all" {
            let r = StartupBenchmark.run(executable: exe, runs: runs, environment: ProcessEnvironment.current)
            sections.append(BenchmarkReport.markdown(title: "Start-up", command: "nexus bench startup --runs \(runs)", machine: machine, results: r))
        }
        let text = sections.joined(separator: "\n")
        Terminal.out(text)
        if output != "-" {
            var existing = (try? FileSystem.readText(output)) ?? "# Benchmarks\n\n"
            existing += "\n" + text
            try FileSystem.writeAtomically(output, text: existing)
            Terminal.err("appended to \(output)\n")
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
        let cpu = ((try? FileSystem.readText("/proc/cpuinfo")) ?? "").split(separator: "\n")
            .first { $0.hasPrefix("model name") }.map { $0.split(separator: ":", maxSplits: 1).last.map { String($0).trimmingCharacters } ?? "" } ?? "unknown CPU"
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        let mem = sysconf(Int32(_SC_PHYS_PAGES)) * sysconf(Int32(_SC_PAGESIZE)) / (1 << 30)
        return "\(cpu), \(cores) cores, \(mem) GiB"
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
