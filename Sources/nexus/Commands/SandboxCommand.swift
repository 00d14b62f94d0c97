import ArgumentParser
import NexusBench
import NexusCore
import NexusOrchestrator
import NexusPOSIX
import NexusSandbox

/// `nexus sandbox probe|exec|bench`: what isolation this machine gives, and the jailer itself
/// (nexus re-executes itself this way for module tests and module processes).
struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Probe the sandbox, or run a command inside it.",
        subcommands: [Probe.self, Exec.self, Bench.self]
    )

    struct Probe: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Report the isolation tier and every layer found.")
        @Flag(name: .long, help: "Print the report as JSON.") var json = false

        func run() throws {
            let report = SandboxProbe.run()
            Terminal.out(json ? report.json.serialized + "\n" : report.render())
        }
    }

    struct Exec: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a command in the sandbox.",
            discussion: """
                Modes: exec (no network, 30 s, 256 MB), validate (network only through the egress proxy, \
                60 s, 512 MB, workspace writable), integration (like validate, credentials in the \
                environment, requests logged). Exit status: the command's, 128+signal, 124 on timeout, \
                127 when the command cannot run.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("exec, validate or integration.", valueName: "mode")) var mode = "exec"
        @Option(
            help: ArgumentHelp("Directory mounted at /workspace (read-write except in exec mode).", valueName: "dir"))
        var workspace: String?
        @Option(
            name: .customLong("allow-host"),
            help: ArgumentHelp(
                "Host the command may reach through the proxy: HOST[:PORT] or *.SUFFIX.", valueName: "host"))
        var allowHosts: [String] = []
        @Option(
            name: .customLong("env"),
            help: ArgumentHelp(
                "Environment variable for the command (NAME=VALUE, or NAME to pass nexus's own).",
                valueName: "name=value"))
        var env: [String] = []
        @Option(
            name: .customLong("secret-env"),
            help: ArgumentHelp("Like --env, and redacted from captured output.", valueName: "name=value"))
        var secretEnv: [String] = []
        @Option(
            name: .customLong("resolve"),
            help: ArgumentHelp("Pin a host to an address for the proxy (HOST=IP).", valueName: "host=ip"))
        var resolve: [String] = []
        @Option(help: ArgumentHelp("Wall-clock limit in seconds; 0 = none.", valueName: "seconds")) var timeout: Double?
        @Option(help: ArgumentHelp("Memory limit in megabytes.", valueName: "mb")) var memory: Int?
        @Flag(help: "Capture stdout/stderr (bounded, redacted) into the result instead of passing them through.")
        var capture = false
        @Option(
            name: .customLong("result-json"), help: ArgumentHelp("Write the structured result here.", valueName: "file")
        )
        var resultJSON: String?
        @Option(
            name: .customLong("audit-log"),
            help: ArgumentHelp(
                "JSON Lines log of proxy decisions and of the run's end (default: <home>/logs/sandbox-audit.jsonl).",
                valueName: "file"))
        var auditLog: String?
        @Option(
            help: ArgumentHelp(
                "Who the run is for (a module's name), written with each audit record.", valueName: "name"))
        var label: String?
        @Option(
            name: .customLong("parent-pid"),
            help: ArgumentHelp(
                "Stop the run when process PID exits (nexus passes its own for modules).", valueName: "pid"))
        var parentPID: Int?
        @Flag(
            name: .customLong("no-run-record"),
            help: "Do not write the run's end to the audit log (the caller publishes it, as the module gate does).")
        var noRunRecord = false
        @Option(
            name: .customLong("record"),
            help: ArgumentHelp("Integration mode: save responses here as fixtures.", valueName: "dir"))
        var record: String?
        @Option(
            name: .customLong("ro-path"),
            help: ArgumentHelp(
                "Host directory or file bound read-only at the same path (e.g. a Python runtime outside /usr).",
                valueName: "path"))
        var roPaths: [String] = []
        @Option(
            name: .customLong("rw-path"),
            help: ArgumentHelp("Host directory or file bound read-write at the same path.", valueName: "path"))
        var rwPaths: [String] = []
        @Option(
            name: .customLong("data-dir"),
            help: ArgumentHelp(
                "Host directory bound read-write at /data: the command's working directory and HOME.",
                valueName: "dir"))
        var dataDir: String?
        @Flag(
            name: .customLong("workspace-readonly"),
            help: "Mount the workspace read-only in validate and integration modes too.")
        var workspaceReadOnly = false
        @Option(
            name: .customLong("cpu-seconds"),
            help: ArgumentHelp("CPU-time limit in seconds; 0 = none beyond the timeout's.", valueName: "n"))
        var cpuSeconds: Int?
        @Option(
            name: .customLong("file-size-mb"),
            help: ArgumentHelp("Largest file the command may write, in megabytes (default 64).", valueName: "mb"))
        var fileSizeMB: Int?
        @Flag(
            name: .customLong("allow-degraded"),
            help: "Run even when an isolation layer is missing (the result says DEGRADED and which layer).")
        var allowDegraded = false
        @Option(help: .hidden) var tier: String?
        @Argument(parsing: .captureForPassthrough, help: "The command and its arguments, after --.")
        var command: [String] = []

        func run() throws {
            // Passthrough parsing captures everything it does not know, --help included: before any `--`
            // it is nexus's help, after `--` it belongs to the command.
            if let first = command.first, first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
            let environment = ProcessEnvironment.current
            let paths = NexusPaths.resolve(homeFlag: global.home, configFlag: global.config, environment: environment)
            let loaded = try ConfigLoader.load(paths: paths, environment: environment)
            var cmd = command
            if cmd.first == "--" { cmd.removeFirst() }
            var audit = auditLog
            if audit == nil {
                // Made here so the audit log can be opened; if they cannot be, the jailer's open names why.
                try? FileSystem.createDirectory(paths.home, mode: 0o700)
                try? FileSystem.createDirectory(paths.logs, mode: 0o700)
                audit = paths.logs + "/sandbox-audit.jsonl"
            }
            var options = try JailOptions(
                mode: mode, workspace: workspace, allowHosts: allowHosts, env: env, secretEnv: secretEnv,
                resolve: resolve, timeout: timeout, memoryMB: memory, command: cmd, capture: capture,
                resultJSON: resultJSON, auditLog: audit, recordDir: record, config: loaded.config.sandbox,
                hostEnvironment: environment)
            options.workspaceReadOnly = workspaceReadOnly
            try options.setLabel(label)
            try options.setParentPID(parentPID)
            options.recordRun = !noRunRecord
            if allowDegraded { options.allowDegraded = true }
            try options.setLimits(cpuSeconds: cpuSeconds, fileSizeMB: fileSizeMB)
            try options.addGrants(
                readOnly: roPaths, readWrite: rwPaths, dataDir: dataDir,
                forbidden: .forJailer(
                    home: paths.home, configDir: paths.configDir, configFile: paths.configFile,
                    environment: environment))
            var probe: ProbeReport?
            if let tier {
                let full = SandboxProbe.run()
                guard let lower = full.downgraded(to: tier) else {
                    throw NexusError(
                        "sandbox --tier \(tier): can only lower this machine's tier \(full.tier)", hint: "use B or C",
                        exit: .usage)
                }
                probe = lower
            }
            let result = try Jailer.runRecorded(options, probe: probe)
            let text = result.json.serialized + "\n"
            if let path = resultJSON {
                do {
                    try FileSystem.writeAtomically(path, text: text, mode: 0o600)
                } catch {
                    throw NexusError(
                        "sandbox --result-json \(path): cannot write (\(error.userMessage))",
                        hint: "choose a writable path", exit: .usage)
                }
            } else if capture {
                Terminal.out(text)
            }
            if result.degraded {
                Terminal.err(
                    "nexus: sandbox: DEGRADED run (tier \(result.tier)): missing "
                        + "\(result.missingLayers.joined(separator: ", "))\n")
            }
            switch result.outcome {
            case .notRunnable:
                Terminal.err("nexus: sandbox: command \"\(cmd.first ?? "")\": \(result.error ?? "cannot run")\n")
                Terminal.err("  hint: check the name; inside the sandbox PATH is /usr/local/bin:/usr/bin:/bin\n")
            case .setupFailed:
                Terminal.err("nexus: sandbox: setup failed: \(result.error ?? "unknown")\n")
                Terminal.err("  hint: run `nexus sandbox probe` to see which layers this machine supports\n")
            default: break
            }
            if let limit = result.limitMessage { Terminal.err("nexus: sandbox: stopped by the \(limit)\n") }
            ProcessControl.exit(result.processExitStatus)
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Measure sandbox overhead and proxy throughput.")
        func run() throws {
            let exe =
                CommandLine.arguments.first.flatMap(FileSystem.realPath) ?? "/proc/self/exe"
            for r in SandboxBenchmarks.run(nexusExecutable: exe) {
                Terminal.out("\(r.name): p50 \(fmt(r.p50Ms)) p99 \(fmt(r.p99Ms)) \(r.unit)\n")
            }
        }
        func fmt(_ d: Double) -> String { String(Double(Int(d * 100)) / 100) }
    }
}
