import NexusCore
import NexusModules
import NexusPOSIX
import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

/// The module performance targets as runnable measurements (`nexus bench` calls `run()`):
/// Python module cold start to first tools/list (p50 ≤ 150 ms), a tool call round trip to a warm module
/// (p50 ≤ 2 ms), idle cost of connected modules (no wake-ups), and start-up with 1,000 installed modules
/// within 10% of none.
public enum ModuleBenchmarks {
    public static func run() async -> [BenchResult] {
        let dir = "/tmp/nexus-modbench-\(getpid())-\(MonotonicClock.nanoseconds())"
        defer { ModuleFiles.removeTree(dir) }
        // A scratch folder that cannot be made: no module rows (the report shows them missing).
        guard (try? FileSystem.ensureDirectory(dir, mode: 0o700)) != nil,
            (try? FileSystem.writeAtomically(dir + "/server.py", text: benchServer)) != nil
        else { return [] }
        let python = resolvePython()
        var out: [BenchResult] = []
        out.append(await coldStart(python: python, dir: dir))
        out.append(contentsOf: await warmCall(python: python, dir: dir))
        out.append(await idleCost(python: python, dir: dir))
        out.append(startupWithInstalledModules(dir: dir))
        return out
    }

    /// The interpreter behind `python3` (a pyenv shim adds a bash start-up to every launch).
    static func resolvePython() -> String {
        let spec = LaunchSpec(
            module: "bench", command: ["python3", "-c", "import sys; print(sys.executable)"], workingDirectory: "/tmp",
            environment: [:], networkAllow: [])
        // No python3 to launch: the default name is reported.
        guard let p = try? DirectLauncher().launch(spec) else { return "python3" }
        p.closeStdin()
        let out = String(decoding: Descriptor.readToEnd(p.stdout), as: UTF8.self)
        _ = Descriptor.readToEnd(p.stderr)
        p.reap()
        let path = out.split(separator: "\n").first.map(String.init) ?? ""
        return path.hasPrefix("/") ? path : "python3"
    }

    static func connect(python: String, dir: String, name: String = "bench") async throws -> MCPClient {
        let spec = LaunchSpec(
            module: name, command: [python, "server.py"], workingDirectory: dir, environment: [:], networkAllow: [])
        return try await MCPClient.connect(
            module: name, process: try DirectLauncher().launch(spec), log: ModuleLog(path: nil))
    }

    /// p50 of `python -c "import json, sys"` alone: the floor under any Python module's cold start.
    static func bareInterpreter(python: String, runs: Int = 10) -> Double {
        var ms: [Double] = []
        for _ in 0..<runs {
            let t = MonotonicClock.nanoseconds()
            let spec = LaunchSpec(
                module: "bench", command: [python, "-c", "import json, sys"], workingDirectory: "/tmp",
                environment: [:], networkAllow: [])
            // A launch that fails is one sample fewer.
            guard let p = try? DirectLauncher().launch(spec) else { continue }
            p.closeStdin()
            _ = Descriptor.readToEnd(p.stdout)
            p.reap()
            ms.append(MonotonicClock.millisSince(t))
        }
        return BenchResult.percentile(ms, 0.5)
    }

    static func coldStart(python: String, dir: String, runs: Int = 20) async -> BenchResult {
        var ms: [Double] = []
        var bare: [Double] = []
        for _ in 0..<runs {
            // Interleaved with the bare interpreter, so machine load affects both alike.
            bare.append(bareInterpreter(python: python, runs: 1))
            let t = MonotonicClock.nanoseconds()
            // A server that does not answer is one sample fewer.
            guard let c = try? await connect(python: python, dir: dir), (try? await c.listTools()) != nil else {
                continue
            }
            ms.append(MonotonicClock.millisSince(t))
            await c.closeAndWait()
        }
        let p50 = BenchResult.percentile(ms, 0.5)
        let bareP50 = BenchResult.percentile(bare, 0.5)
        return BenchResult(
            name: "module_cold_start_to_tools_list", value: p50, unit: "ms", p50: p50,
            p99: BenchResult.percentile(ms, 0.99),
            target: "p50 <= 150 ms", passed: p50 <= 150,
            note:
                "\(ms.count) launches of \(python) server.py; `python3 -c 'import json, sys'` alone: \(BenchResult.r(bareP50)) ms p50 on this machine now"
        )
    }

    static func warmCall(python: String, dir: String, calls: Int = 2000) async -> [BenchResult] {
        // No server: no rows for this measurement.
        guard let c = try? await connect(python: python, dir: dir) else { return [] }
        var ms: [Double] = []
        ms.reserveCapacity(calls)
        for i in 0..<(calls + 100) {
            let t = MonotonicClock.nanoseconds()
            // A call that fails ends the series early.
            guard (try? await c.callTool(name: "echo", arguments: ["text": "ping"])) != nil else { break }
            if i >= 100 { ms.append(MonotonicClock.millisSince(t)) }
        }
        await c.closeAndWait()
        let p50 = BenchResult.percentile(ms, 0.5)
        return [
            BenchResult(
                name: "module_warm_call_round_trip", value: p50, unit: "ms", p50: p50,
                p99: BenchResult.percentile(ms, 0.99),
                target: "p50 <= 2 ms", passed: p50 <= 2, note: "tools/call over stdio, \(ms.count) calls")
        ]
    }

    /// CPU time and thread wake-ups of this process while `modules` connected modules sit idle.
    static func idleCost(python: String, dir: String, modules: Int = 10, seconds: Double = 2) async -> BenchResult {
        // Baseline: the same process with no module connected.
        let baseCPU0 = ProcessStats.cpuSeconds()
        let baseSW0 = ProcessStats.contextSwitches()
        // Task.sleep throws only on cancellation, which ends the benchmark anyway.
        try? await Task.sleep(nanoseconds: Seconds.nanoseconds(seconds))
        let baseCPU = (ProcessStats.cpuSeconds() - baseCPU0) * 1000 / seconds
        let baseWake = Double(ProcessStats.contextSwitches() - baseSW0) / seconds
        var clients: [MCPClient] = []
        for i in 0..<modules {
            // An idle client that cannot start is one fewer in the count.
            if let c = try? await connect(python: python, dir: dir, name: "idle\(i)") { clients.append(c) }
        }
        // Task.sleep throws only on cancellation, which ends the benchmark anyway.
        try? await Task.sleep(nanoseconds: 200_000_000)
        let cpu0 = ProcessStats.cpuSeconds()
        let sw0 = ProcessStats.contextSwitches()
        // Task.sleep throws only on cancellation, which ends the benchmark anyway.
        try? await Task.sleep(nanoseconds: Seconds.nanoseconds(seconds))
        let cpuMs = (ProcessStats.cpuSeconds() - cpu0) * 1000 / seconds
        let wakeups = Double(ProcessStats.contextSwitches() - sw0) / seconds
        for c in clients { await c.closeAndWait() }
        let extraWake = wakeups - baseWake
        return BenchResult(
            name: "module_idle_cost", value: extraWake, unit: "wake-ups/s",
            target: "~0 (a 10 ms poller: ~100 per module)",
            passed: extraWake < Double(clients.count),
            note:
                "\(clients.count) connected idle modules: \(Int(wakeups.rounded())) context switches/s and \(BenchResult.r(cpuMs)) ms CPU/s in the whole process, vs \(Int(baseWake.rounded()))/s and \(BenchResult.r(baseCPU)) ms/s with none"
        )
    }

    /// Opening the registry and constructing the host with 1,000 installed modules vs none.
    static func startupWithInstalledModules(dir: String, runs: Int = 100) -> BenchResult {
        func home(_ n: Int) -> String? {
            let path = dir + "/home\(n).db"
            // A throwaway benchmark database: failing to make it fails this row (NaN).
            guard let db = try? Database(path: path) else { return nil }
            let reg = ModuleRegistry(database: db)
            let tools = [MCPTool(name: "get", description: "Get a thing.", inputSchema: ["type": "object"])]
            for i in 0..<n {
                // Throwaway rows: a missing one only makes the measured registry smaller.
                try? reg.upsert(
                    ModuleRecord(
                        name: "m\(i)", category: "bench", version: "1.0.0", path: dir + "/nowhere/m\(i)",
                        sha256: String(repeating: "0", count: 64), source: "bench", tools: tools))
            }
            // As after any ordinary session: the write-ahead log folded into the database file.
            _ = try? db.checkpoint()
            return path
        }
        guard let none = home(0), let many = home(1000) else {
            return BenchResult(
                name: "startup_1000_modules", value: .nan, unit: "ratio", target: "<= 1.10", passed: false)
        }
        func once(_ path: String) -> Double {
            let t = MonotonicClock.nanoseconds()
            // No database: the sample measures nothing and shows as faster; the row is NaN when none open.
            if let db = try? Database(path: path) {
                let host = ModuleHost(
                    registry: ModuleRegistry(database: db), bus: EventBus(),
                    options: .init(modulesDirectory: dir + "/nowhere"))
                _ = host
            }
            return MonotonicClock.millisSince(t)
        }
        // Interleaved, so machine load hits both sides alike.
        var xs: [Double] = []
        var ys: [Double] = []
        for i in 0..<(runs + 10) {
            let x = once(none)
            let y = once(many)
            if i >= 10 {
                xs.append(x)
                ys.append(y)
            }
        }
        let a = BenchResult.percentile(xs, 0.5)
        let b = BenchResult.percentile(ys, 0.5)
        let ratio = b / max(a, 0.000_001)
        return BenchResult(
            name: "startup_1000_modules", value: ratio, unit: "x", p50: b, target: "<= 1.10 (within 10% of none)",
            passed: ratio <= 1.10,
            note:
                "p50 \(BenchResult.r(a)) ms with none, \(BenchResult.r(b)) ms with 1,000 (database open + host init)"
        )
    }

    static let benchServer = """
        import json, sys
        TOOLS = [{"name": "echo", "description": "Echo.", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}}]
        def send(m):
            sys.stdout.write(json.dumps(m) + "\\n"); sys.stdout.flush()
        for line in sys.stdin:
            m = json.loads(line)
            if "id" not in m or "method" not in m: continue
            meth, i = m["method"], m["id"]
            if meth == "initialize":
                send({"jsonrpc": "2.0", "id": i, "result": {"protocolVersion": m["params"]["protocolVersion"], "capabilities": {"tools": {}}, "serverInfo": {"name": "bench"}}})
            elif meth == "tools/list":
                send({"jsonrpc": "2.0", "id": i, "result": {"tools": TOOLS}})
            elif meth == "tools/call":
                send({"jsonrpc": "2.0", "id": i, "result": {"content": [{"type": "text", "text": m["params"]["arguments"].get("text", "")}]}})
            else:
                send({"jsonrpc": "2.0", "id": i, "result": {}})

        """
}

/// This process's CPU time and context switches, from /proc.
enum ProcessStats {
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Voluntary + involuntary context switches summed over every thread.
    static func contextSwitches() -> Int {
        var total = 0
        for tid in FileSystem.list("/proc/self/task") {
            // A thread gone before its status was read is not counted.
            guard let text = try? FileSystem.readText("/proc/self/task/\(tid)/status", limit: 1 << 16) else { continue }
            for line in text.split(separator: "\n") where line.contains("ctxt_switches:") {
                if let v = line.split(separator: "\t").last.flatMap({ Int($0.trimmingPrefix(" ")) }) { total += v }
            }
        }
        return total
    }
}
