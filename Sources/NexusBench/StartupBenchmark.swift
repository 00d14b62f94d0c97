import NexusCore
import NexusModules
import NexusPOSIX
import NexusREPL
import NexusStore
import NexusTelemetry

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus bench startup`: `nexus --version` and time to the first line-mode prompt on a terminal,
/// against `true` and any peer CLI found on PATH, and the first prompt in a full home vs an empty one.
enum StartupBenchmark {
    static let target = "≤ 15 ms p50"

    static func run(executable: String, runs: Int, environment: [String: String], peers: [String] = []) -> [BenchRow] {
        var results: [BenchRow] = []
        let empty = "/tmp/nexus-bench-home-\(ProcessTimer.pidString)-\(MonotonicClock.nanoseconds())"
        let stored = empty + "-stored"
        let full = empty + "-full"
        defer {
            for home in [empty, stored, full] { ModuleFiles.removeTree(home) }
        }
        let env = benchEnvironment(environment, home: empty)
        var p50s: [String: Double] = [:]
        func measure(_ name: String, target: String, limit: Double?, _ f: () -> Double?) {
            _ = f()  // warm the page cache (and create the home on the first run)
            let cpuBefore = childCPUMilliseconds()
            let samples = (0..<runs).compactMap { _ in f() }
            let cpu = (childCPUMilliseconds() - cpuBefore) / Double(max(1, samples.count))
            guard !samples.isEmpty else {
                results.append(
                    .couldNotRun(name, target: target, reason: "the process did not start or never prompted"))
                return
            }
            let s = Stats(samples)
            p50s[name] = s.p50
            results.append(
                BenchRow(
                    name: name, p50: s.p50, p99: s.p99, target: target,
                    passed: limit.map { BenchRow.atMost(s.p50, $0) },
                    note: "\(s.count) runs; CPU (user+sys) \(BenchmarkFormat.ms(cpu)) ms/run mean"))
        }
        measure("true (baseline)", target: "", limit: nil) { ProcessTimer.timeToExit(["true"], environment: env) }
        measure("nexus --version", target: target, limit: 15) {
            ProcessTimer.timeToExit([executable, "--version"], environment: env)
        }
        measure("nexus --plain: first prompt", target: target, limit: 15) {
            ProcessTimer.timeToOutput([executable, "--plain"], environment: env, marker: "nexus> ")
        }
        if let base = p50s["true (baseline)"], base > 0 {
            for name in ["nexus --version", "nexus --plain: first prompt"] {
                guard let v = p50s[name] else { continue }
                results.append(
                    BenchRow(
                        name: "\(name) ÷ true", p50: v / base, p99: .nan, unit: "x", note: "ratio of p50s, same session"
                    ))
            }
        }
        for peer in ["aider", "llm", "sgpt", "gh", "ollama"] {
            if let path = ProcessTimer.which(peer, path: environment["PATH"] ?? "/usr/bin:/bin") {
                measure("\(peer) --version (peer)", target: "", limit: nil) {
                    ProcessTimer.timeToExit([path, "--version"], environment: environment)
                }
            }
        }
        for path in peers {
            measure("\(path) --version (peer)", target: "", limit: nil) {
                ProcessTimer.timeToExit([path, "--version"], environment: environment)
            }
        }
        results.append(
            contentsOf: withFullHomes(
                executable: executable, runs: runs, environment: environment, homes: (empty, stored, full)))
        return results
    }

    /// User + system CPU time of every reaped child so far: wall time minus this is waiting for a core.
    static func childCPUMilliseconds() -> Double {
        var u = rusage()
        guard getrusage(RUSAGE_CHILDREN.rawValue, &u) == 0 else { return .nan }
        func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1000 + Double(t.tv_usec) / 1000 }
        return ms(u.ru_utime) + ms(u.ru_stime)
    }

    static func benchEnvironment(_ environment: [String: String], home: String) -> [String: String] {
        var env = environment
        env["NEXUS_HOME"] = home
        env.removeValue(forKey: "NEXUS_CONFIG")
        env["XDG_CONFIG_HOME"] = home + "/config"
        env["NO_COLOR"] = "1"
        env["TERM"] = env["TERM"] ?? "xterm-256color"
        return env
    }

    /// The first prompt in an empty home, in one whose store is full (modules, history and ledger rows)
    /// and in one that also has a full terminal history, interleaved so load hits all alike. Nothing may
    /// scale with the store (target: within 10 %); the terminal history is capped at
    /// `EditLineSource.historyLimit` entries, so reading it is a fixed cost, reported beside it.
    static func withFullHomes(
        executable: String, runs: Int, environment: [String: String],
        homes: (empty: String, stored: String, full: String)
    ) -> [BenchRow] {
        let name = "first prompt, full store ÷ empty home"
        do {
            try fill(home: homes.stored, terminalHistory: false)
            try fill(home: homes.full, terminalHistory: true)
        } catch {
            return [.couldNotRun(name, target: "≤ 1.10", reason: error.userFacingDescription)]
        }
        let envs = [homes.empty, homes.stored, homes.full].map { benchEnvironment(environment, home: $0) }
        func prompt(_ env: [String: String]) -> Double? {
            ProcessTimer.timeToOutput([executable, "--plain"], environment: env, marker: "nexus> ")
        }
        for env in envs { _ = prompt(env) }
        var samples: [[Double]] = [[], [], []]
        for _ in 0..<runs {
            for (i, env) in envs.enumerated() {
                if let t = prompt(env) { samples[i].append(t) }
            }
        }
        guard samples.allSatisfy({ !$0.isEmpty }) else {
            return [.couldNotRun(name, target: "≤ 1.10", reason: "nexus --plain never prompted")]
        }
        let (a, b, c) = (Stats(samples[0]), Stats(samples[1]), Stats(samples[2]))
        let ratio = b.p50 / max(a.p50, 0.000_001)
        return [
            BenchRow(
                name: "nexus --plain: first prompt, empty home", p50: a.p50, p99: a.p99,
                note: "\(a.count) runs, interleaved"),
            BenchRow(
                name: "nexus --plain: first prompt, full store", p50: b.p50, p99: b.p99, target: target,
                passed: BenchRow.atMost(b.p50, 15), note: "\(b.count) runs, interleaved; \(storeDescription)"),
            BenchRow(
                name: name, p50: ratio, p99: .nan, unit: "x", target: "≤ 1.10",
                passed: ratio <= 1.10, note: "ratio of p50s; ≈ 1 means start-up does not scale with the store"),
            BenchRow(
                name: "nexus --plain: first prompt, full store + full terminal history", p50: c.p50, p99: c.p99,
                target: target, passed: BenchRow.atMost(c.p50, 15),
                note:
                    "\(c.count) runs, interleaved; + a terminal history at its cap (\(EditLineSource.historyLimit) lines): "
                    + "\(BenchmarkFormat.ms(c.p50 - b.p50)) ms over the full store, a fixed cost of libedit's read_history"
            ),
        ]
    }

    static let modulesInFullHome = 1000
    static let rowsInFullHome = 100_000
    static let storeDescription = "1,000 modules, 100,000 history and 100,000 ledger rows"

    /// A home after long use: `modulesInFullHome` registry rows (each with a cached tools/list) and their
    /// folders, `rowsInFullHome` conversation messages and ledger rows over 1,000 sessions, and, with
    /// `terminalHistory`, a terminal history file at its cap.
    static func fill(home: String, terminalHistory: Bool) throws {
        let paths = NexusPaths(home: home, configFile: home + "/config/nexus/nexus.toml", configIsExplicit: false)
        try FileSystem.ensureDirectory(home, mode: 0o700)
        try FileSystem.ensureDirectory(paths.modules, mode: 0o700)
        let db = try Database(path: paths.database)
        let registry = ModuleRegistry(database: db)
        let tools = [MCPTool(name: "get", description: "Get a thing.", inputSchema: ["type": "object"])]
        for i in 0..<modulesInFullHome {
            let dir = paths.modules + "/bench\(i)"
            try FileSystem.ensureDirectory(dir, mode: 0o700)
            try registry.upsert(
                ModuleRecord(
                    name: "bench\(i)", category: "bench", version: "1.0.0", path: dir,
                    sha256: String(repeating: "0", count: 64), source: "bench", tools: tools))
        }
        try SyntheticUsageRepository(db: db).fillHistory(sessions: 1000, rows: rowsInFullHome)
        guard terminalHistory else { return }
        let history =
            ["_HiStOrY_V2_"] + (0..<Int(EditLineSource.historyLimit)).map { "what\\040is\\040\($0)\\040+\\0401?" }
        try FileSystem.writeAtomically(paths.replHistory, text: history.joined(separator: "\n") + "\n", mode: 0o600)
    }
}
