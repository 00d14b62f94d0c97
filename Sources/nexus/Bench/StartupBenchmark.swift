import NexusTelemetry

/// `nexus bench startup`: `nexus --version` and time to the first line-mode prompt on a terminal,
/// against `true` and any peer CLI found on PATH.
enum StartupBenchmark {
    static func run(executable: String, runs: Int, environment: [String: String]) -> [BenchResult] {
        var results: [BenchResult] = []
        func measure(_ name: String, target: String, _ f: () -> Double?) {
            _ = f()  // warm the page cache
            let samples = (0..<runs).compactMap { _ in f() }
            guard !samples.isEmpty else {
                results.append(BenchResult(name: name, p50: .nan, p99: .nan, target: target, note: "could not run"))
                return
            }
            let s = Stats(samples)
            results.append(BenchResult(name: name, p50: s.p50, p99: s.p99, target: target, note: "\(s.count) runs"))
        }
        let home = "/tmp/nexus-bench-home-\(ProcessTimer.pidString)"
        var env = environment
        env["NEXUS_HOME"] = home
        env["NEXUS_CONFIG"] = home + "/absent.toml"
        env.removeValue(forKey: "NEXUS_CONFIG")
        env["XDG_CONFIG_HOME"] = home + "/config"
        env["NO_COLOR"] = "1"
        env["TERM"] = env["TERM"] ?? "xterm-256color"
        measure("true (baseline)", target: "") { ProcessTimer.timeToExit(["true"], environment: env) }
        measure("nexus --version", target: "≤ 15 ms p50") {
            ProcessTimer.timeToExit([executable, "--version"], environment: env)
        }
        measure("nexus --plain: first prompt", target: "≤ 15 ms p50") {
            ProcessTimer.timeToOutput([executable, "--plain"], environment: env, marker: "nexus> ")
        }
        for peer in ["aider", "llm", "sgpt"] {
            if let path = ProcessTimer.which(peer, path: environment["PATH"] ?? "/usr/bin:/bin") {
                measure("\(peer) --version (peer)", target: "") {
                    ProcessTimer.timeToExit([path, "--version"], environment: environment)
                }
            }
        }
        return results
    }
}
