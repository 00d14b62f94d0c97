import NexusCore
import NexusModules
import NexusPOSIX
import NexusSandbox
import NexusStore

/// How the gate runs anything: `nexus sandbox exec --mode validate` (this binary re-executed, as
/// `JailedLauncher` does for modules), with the scratch copy as the only workspace, the gate runner
/// and the runtime helper mounted read-only, and no host allowed: the network reaches nothing but
/// what a later mock server is given.
struct GateSandbox: Sendable {
    let nexusExecutable: String
    let home: String?
    let config: String?
    /// templates/python: the runtime helper and, under gate/, the runner scripts.
    let templates: String
    let memoryMB: Int
    /// Where each run's end is published as `.sandboxRun` (metrics, traces); nil publishes nothing.
    var bus: EventBus? = nil

    /// What one sandboxed run printed and how it ended.
    struct Output: Sendable {
        var stdout: [UInt8]
        var stderr: String
        var status: WaitStatus
        var seconds: Double
        var timedOut: Bool { status.exitCode == 124 }
    }

    /// The environment the jailer starts with; every name is passed on with `--env NAME`.
    func environment(_ extra: [String: String]) -> [String: String] {
        var env = extra
        env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
        env["LANG"] = "C.UTF-8"
        env["PYTHONPATH"] = templates
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONUNBUFFERED"] = "1"
        return env
    }

    /// The jailer's argv around `command`.
    func argv(workspace: String, timeout: Double, environment names: [String], command: [String]) -> [String] {
        var argv = [nexusExecutable, "sandbox", "exec"]
        if let home { argv += ["--home", home] }
        if let config { argv += ["--config", config] }
        argv += [
            "--mode", SandboxMode.validate.rawValue, "--workspace", workspace, "--timeout",
            String(Int(timeout.rounded(.up))), "--memory", String(memoryMB), "--ro-path", templates,
            // The gate publishes each run itself (`finish`): the audit log's run record would count it twice.
            "--no-run-record",
            // However nexus ends (SIGKILL mid-gate, a crash), the module's code ends with it: the jailer watches
            // this pid and ends the run when it exits, instead of supervising it unread until its timeout.
            "--parent-pid", String(ProcessControl.currentID),
        ]
        for name in names.sorted() where name != "HOME" { argv += ["--env", name] }
        return argv + ["--"] + command
    }

    /// A sandboxed run that has started and waits for its stdin (see `start` and `finish`).
    struct Started: Sendable {
        let pid: Int32
        let stdinFD: Int32
        let outPath: String
        let errPath: String
        let start: UInt64
        let timeout: Double
    }

    /// Runs `command` in the sandbox with `stdin` written to it, stdout and stderr captured to files in
    /// `scratch` (outside the workspace, so the module cannot read or rewrite them).
    func run(
        workspace: String, command: [String], extraEnvironment: [String: String] = [:], stdin: [UInt8] = [],
        timeout: Double, scratch: String, label: String
    ) async throws(GateError) -> Output {
        let started = try start(
            workspace: workspace, command: command, extraEnvironment: extraEnvironment, timeout: timeout,
            scratch: scratch, label: label)
        return try await finish(started, stdin: stdin)
    }

    /// Starts `command` in the sandbox; it runs until it reads its stdin, which `finish` writes.
    func start(
        workspace: String, command: [String], extraEnvironment: [String: String] = [:], timeout: Double,
        scratch: String, label: String
    ) throws(GateError) -> Started {
        let env = environment(extraEnvironment)
        let argv = argv(workspace: workspace, timeout: timeout, environment: Array(env.keys), command: command)
        let outPath = scratch + "/\(label).out"
        let errPath = scratch + "/\(label).err"
        guard let fds = GNULibC.cloexecPipe() else { throw .sandboxUnavailable("pipe: \(SystemError.currentText)") }
        let begin = MonotonicClock.nanoseconds()
        let pid: Int32
        do {
            var jailerEnv = env
            if let h = ProcessInfoLite.home { jailerEnv["HOME"] = h }
            pid = try ChildProcess.spawn(
                argv,
                SpawnOptions(
                    stdin: .descriptor(fds[0]), stdout: .appending(path: outPath), stderr: .appending(path: errPath),
                    environment: jailerEnv, grouping: .newProcessGroup, resetSignals: true))
        } catch {
            Descriptor.close(fds[0])
            Descriptor.close(fds[1])
            throw .sandboxUnavailable(error.description)
        }
        Descriptor.close(fds[0])
        return Started(pid: pid, stdinFD: fds[1], outPath: outPath, errPath: errPath, start: begin, timeout: timeout)
    }

    /// Writes `stdin` (nil: nothing, the run is called off) and collects how the run ended.
    func finish(_ s: Started, stdin: [UInt8]?) async throws(GateError) -> Output {
        // Cancelling the task (Ctrl-C during a build) kills the jailer's process group; the jail's pid
        // namespace takes everything the module started with it.
        let pid = s.pid
        let status = await withTaskCancellationHandler {
            await DetachedThread.run { () -> WaitStatus in
                if let stdin { _ = Descriptor.writeAll(s.stdinFD, stdin) }
                Descriptor.close(s.stdinFD)
                if stdin == nil { ProcessControl.send(.kill, toGroup: s.pid) }
                return ChildProcess.reap(s.pid, within: s.timeout + 10)
            }
        } onCancel: {
            ProcessControl.send(.kill, toGroup: pid)
        }
        let seconds = Double(MonotonicClock.nanoseconds() - s.start) / 1e9
        // A run that wrote nothing left no file: empty output; the status says how it ended.
        let out = (try? FileSystem.read(s.outPath, limit: 4 << 20, wait: 0)) ?? []
        let err = (try? FileSystem.read(s.errPath, limit: 256 << 10, wait: 0)) ?? []
        let errText = String(decoding: err, as: UTF8.self)
        if stdin != nil && (status.exitCode == 125 || errText.contains("nexus: sandbox: setup failed")) {
            let mode = SandboxMode.validate.rawValue
            bus?.publish(turn: 0, .sandboxRun(mode: mode, outcome: "refused", latencyMs: seconds * 1000))
            throw .sandboxUnavailable(errText.split(separator: "\n").first.map(String.init) ?? "setup failed")
        }
        let output = Output(stdout: out, stderr: errText, status: status, seconds: seconds)
        let outcome = Self.outcome(output, calledOff: stdin == nil)
        bus?.publish(
            turn: 0, .sandboxRun(mode: SandboxMode.validate.rawValue, outcome: outcome, latencyMs: seconds * 1000))
        return output
    }

    /// The `.sandboxRun` outcome of a finished run: `ok`, `failed`, `timeout`, `killed`, `refused`.
    static func outcome(_ o: Output, calledOff: Bool) -> String {
        if calledOff { return "killed" }
        if o.timedOut { return "timeout" }
        if o.status.exitCode == 0 { return "ok" }
        if o.status.exitCode == 125 { return "refused" }
        return o.status.exitCode == nil ? "killed" : "failed"
    }

    /// A module process in the sandbox with pipes on its standard streams, for the MCP client.
    func launch(workspace: String, command: [String], extraEnvironment: [String: String], timeout: Double) throws
        -> LaunchedProcess
    {
        let env = environment(extraEnvironment)
        let argv = argv(workspace: workspace, timeout: timeout, environment: Array(env.keys), command: command)
        var jailerEnv = env
        if let h = ProcessInfoLite.home { jailerEnv["HOME"] = h }
        return try DirectLauncher().launch(
            LaunchSpec(
                module: "gate", command: argv, workingDirectory: workspace, environment: jailerEnv,
                networkAllow: []))
    }
}

/// The invoking user's home, for the jailer's own path derivation (never passed into the sandbox).
enum ProcessInfoLite {
    static var home: String? { Environment.get("HOME") }
}
