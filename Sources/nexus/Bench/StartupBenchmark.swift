import NexusCore
import NexusModules
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
        let many = empty + "-full"
        defer {
            ModuleFiles.removeTree(empty)
            ModuleFiles.removeTree(many)
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
            contentsOf: withFullHome(
                executable: executable, runs: runs, environment: environment, empty: empty, many: many))
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

    /// The first prompt in a full home (see `fill`) against an empty one, interleaved so load hits both
    /// alike. Target: within 10%, because nothing at start-up may scale with modules or history.
    static func withFullHome(
        executable: String, runs: Int, environment: [String: String], empty: String, many: String
    ) -> [BenchRow] {
        let name = "first prompt, full home ÷ empty home"
        do {
            try fill(home: many)
        } catch {
            return [.couldNotRun(name, target: "≤ 1.10", reason: error.userFacingDescription)]
        }
        let envNone = benchEnvironment(environment, home: empty)
        let envMany = benchEnvironment(environment, home: many)
        func prompt(_ env: [String: String]) -> Double? {
            ProcessTimer.timeToOutput([executable, "--plain"], environment: env, marker: "nexus> ")
        }
        _ = prompt(envNone)
        _ = prompt(envMany)
        var xs: [Double] = []
        var ys: [Double] = []
        for _ in 0..<runs {
            if let x = prompt(envNone) { xs.append(x) }
            if let y = prompt(envMany) { ys.append(y) }
        }
        guard !xs.isEmpty, !ys.isEmpty else {
            return [.couldNotRun(name, target: "≤ 1.10", reason: "nexus --plain never prompted")]
        }
        let a = Stats(xs)
        let b = Stats(ys)
        let ratio = b.p50 / max(a.p50, 0.000_001)
        return [
            BenchRow(
                name: "nexus --plain: first prompt, empty home", p50: a.p50, p99: a.p99,
                note: "\(a.count) runs, interleaved"),
            BenchRow(
                name: "nexus --plain: first prompt, full home", p50: b.p50, p99: b.p99, target: target,
                passed: BenchRow.atMost(b.p50, 15), note: "\(b.count) runs, interleaved"),
            BenchRow(
                name: name, p50: ratio, p99: .nan, unit: "x", target: "≤ 1.10",
                passed: ratio <= 1.10,
                note: "ratio of p50s; full: \(fullHomeDescription); ≈ 1 means start-up does not scale with them"),
        ]
    }

    static let modulesInFullHome = 1000
    static let rowsInFullHome = 100_000
    static let fullHomeDescription =
        "1,000 modules, 100,000 history and 100,000 ledger rows, 1,000 terminal-history lines"

    /// A home after long use: `modulesInFullHome` registry rows (each with a cached tools/list) and their
    /// folders, `rowsInFullHome` conversation messages and ledger rows over 1,000 sessions, and a full
    /// terminal history file.
    static func fill(home: String) throws {
        let paths = NexusPaths(home: home, configFile: home + "/config/nexus/nexus.toml", configIsExplicit: false)
        try FileSystem.ensureDirectory(home, mode: 0o700)
        try FileSystem.ensureDirectory(paths.modules, mode: 0o700)
        let db = try Database(path: paths.database)
        let registry = ModuleRegistry(database: db)
        let tools = [MCPTool(name: "get", description: "Get a thing.", inputSchema: ["type": "object"])]
        try db.execute("BEGIN")
        for i in 0..<modulesInFullHome {
            let dir = paths.modules + "/bench\(i)"
            try FileSystem.ensureDirectory(dir, mode: 0o700)
            try registry.upsert(
                ModuleRecord(
                    name: "bench\(i)", category: "bench", version: "1.0.0", path: dir,
                    sha256: String(repeating: "0", count: 64), source: "bench", tools: tools))
        }
        let rows = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(rowsInFullHome))"
        try db.execute(
            "\(rows) INSERT INTO sessions (id, started_at) SELECT 'bench-' || i, i FROM n WHERE i <= 1000")
        try db.execute(
            """
            \(rows) INSERT INTO messages (session_id, turn, role, content, created_at)
            SELECT 'bench-' || (i % 1000 + 1), i / 1000, CASE i % 2 WHEN 0 THEN 'user' ELSE 'assistant' END,
                   'a message of about the length people type, number ' || i, i FROM n
            """)
        try db.execute(
            """
            \(rows) INSERT INTO llm_calls (session_id, turn, service, task_type, provider, model, tier,
                tokens_in, tokens_out, latency_ms, cost_usd, outcome, is_local, created_at)
            SELECT 'bench-' || (i % 1000 + 1), i / 1000, 'chat', 'conversation', 'local', 'smollm2', 'local',
                   120, 40, 300.0, 0.0, 'ok', 1, i FROM n
            """)
        try db.execute("COMMIT")
        _ = try db.query("PRAGMA wal_checkpoint(TRUNCATE)")
        let history = ["_HiStOrY_V2_"] + (0..<1000).map { "what\\040is\\040\($0)\\040+\\0401?" }
        try FileSystem.writeAtomically(paths.replHistory, text: history.joined(separator: "\n") + "\n", mode: 0o600)
    }
}
