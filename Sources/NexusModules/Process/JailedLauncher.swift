import NexusCore
import NexusPOSIX
import NexusStore

/// Starts module processes through the jailer (`nexus sandbox exec --mode integration`), so a module —
/// possibly written by a model — runs in its own namespaces with a scratch filesystem, seccomp,
/// Landlock and limits, and reaches only its manifest's `network.allow` hosts through the egress proxy.
///
/// The jailer is this same binary, re-executed. It is told nexus's real home and config (`--home`,
/// `--config`) and keeps the user's real HOME, so it reads the user's nexus.toml, writes the module's
/// egress to `logs/sandbox-audit.jsonl` (as it happens, labelled with the module's name by `--label`, for
/// the serving nexus's tailer and its metrics) and refuses the right paths. Credentials and settings travel in
/// the jailer's environment and are named with `--env NAME` (no value), so they never appear on a
/// command line. The module's folder is mounted read-only at /workspace; its data directory is /data
/// (working directory, HOME, `NEXUS_MODULE_DATA`); its interpreter's prefixes and its filesystem grants
/// are mounted at their own paths.
public struct JailedLauncher: ModuleLauncher {
    /// Where nexus lives on the host, for the jailer's `--home`/`--config` and the paths no grant reaches.
    public struct Host: Sendable, Equatable {
        public var nexusHome: String
        /// nexus.toml; passed only when it exists (a missing default file is not an error).
        public var configFile: String
        public var userHome: String
        public init(nexusHome: String, configFile: String, userHome: String) {
            self.nexusHome = nexusHome
            self.configFile = configFile
            self.userHome = userHome
        }
        var protected: ProtectedPaths {
            ProtectedPaths(userHome: userHome, nexusHome: nexusHome, configDirectory: RuntimeMounts.parent(configFile))
        }
    }

    let nexusExecutable: String
    let direct: DirectLauncher
    let memoryMB: Int
    /// CPU-time limit when the module does not set one (seconds, 0 = none).
    let cpuSeconds: Int
    let host: Host?
    /// Extra read-only directories every module sees (the repository's Python runtime helper).
    let sharedReadOnly: [String]
    /// Environment every module gets inside (PYTHONPATH for the runtime helper).
    let sharedEnvironment: [String: String]

    static let systemPath = "/usr/local/bin:/usr/bin:/bin"
    /// The jailer's `--mode` for modules (the sandbox's `SandboxMode.integration`): the flag's value is the
    /// contract, so modules need not import the sandbox; a test holds the two together.
    public static let jailMode = "integration"

    public init(
        nexusExecutable: String, memoryMB: Int, cpuSeconds: Int = 0, host: Host? = nil, sharedReadOnly: [String] = [],
        sharedEnvironment: [String: String] = [:]
    ) {
        self.nexusExecutable = nexusExecutable
        self.direct = DirectLauncher(defaultPath: Self.systemPath)
        self.memoryMB = memoryMB
        self.cpuSeconds = cpuSeconds
        self.host = host
        self.sharedReadOnly = sharedReadOnly
        self.sharedEnvironment = sharedEnvironment
    }

    public var defaultMemoryMB: Int? { memoryMB }

    public func launch(_ spec: LaunchSpec) throws -> LaunchedProcess {
        try direct.launch(try jailedSpec(spec))
    }

    /// The spec that runs `spec` inside the jail: argv of the jailer, its environment, the same folder.
    public func jailedSpec(_ spec: LaunchSpec) throws(LaunchError) -> LaunchSpec {
        func refuse(_ reason: String) -> LaunchError {
            LaunchError(module: spec.module, command: spec.command, reason: reason)
        }
        var command = spec.command
        let runtime = RuntimeMounts.resolve(program: command.first ?? "")
        if let renamed = runtime.program { command[0] = renamed }
        if spec.dataDirectory != nil { command = ModuleCommandLine.anchored(command, folder: spec.workingDirectory) }

        var env = spec.environment
        for (k, v) in sharedEnvironment where env[k] == nil { env[k] = v }
        env["PATH"] =
            ([runtime.binDirectory ?? ModuleCommandLine.folderBin(spec.command)].compactMap { $0 }
            + [env["PATH"] ?? Self.systemPath]).joined(separator: ":")
        if spec.dataDirectory != nil {
            // The folder is read-only and the data directory writable: nothing the module writes may
            // become code a later start runs (no bytecode, no user site-packages, no cwd on sys.path).
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env["PYTHONNOUSERSITE"] = "1"
            env["PYTHONSAFEPATH"] = "1"
            env["PYTHONPATH"] = ([ModuleCommandLine.jailFolder] + (env["PYTHONPATH"].map { [$0] } ?? []))
                .joined(separator: ":")
        }
        if !(spec.readPaths.isEmpty && spec.writePaths.isEmpty), env["GIT_CONFIG_COUNT"] == nil {
            // Inside the jail a granted tree belongs to another uid (the sandbox never runs as its owner), so
            // git would refuse a granted repository as "dubious ownership". The jail is the boundary here.
            env["GIT_CONFIG_COUNT"] = "1"
            env["GIT_CONFIG_KEY_0"] = "safe.directory"
            env["GIT_CONFIG_VALUE_0"] = "*"
        }

        var argv = [nexusExecutable, "sandbox", "exec"]
        if let host {
            argv += ["--home", host.nexusHome]
            if FileSystem.kind(of: host.configFile) == .file { argv += ["--config", host.configFile] }
        }
        argv += [
            "--mode", Self.jailMode, "--workspace", spec.workingDirectory,
            "--timeout", "0", "--memory", String(spec.memoryMB ?? memoryMB),
            "--cpu-seconds", String(spec.cpuSeconds ?? cpuSeconds), "--label", spec.module,
            // However nexus ends (SIGKILL, a crash), its modules end with it: one that ignores the end of its
            // stdin would otherwise run on, unsupervised, with its network allowlist.
            "--parent-pid", String(ProcessControl.currentID),
        ]
        if let data = spec.dataDirectory { argv += ["--workspace-readonly", "--data-dir", data] }
        for h in spec.networkAllow { argv += ["--allow-host", h] }
        for name in env.keys.sorted() where name != "HOME" { argv += ["--env", name] }

        let protected = host?.protected
        var readOnly = sharedReadOnly
        for dir in runtime.readOnly where !readOnly.contains(dir) {
            if let p = protected?.problem(dir) {
                throw refuse("its interpreter lives in \(dir), which \(p); install it (or a venv) elsewhere")
            }
            readOnly.append(dir)
        }
        for dir in readOnly { argv += ["--ro-path", dir] }
        for (flag, paths) in [("--ro-path", spec.readPaths), ("--rw-path", spec.writePaths)] {
            for p in paths {
                guard let real = ModuleFiles.realPath(p) else {
                    throw refuse("filesystem grant \(p) does not exist (create it, or reinstall without it)")
                }
                if let problem = protected?.problem(real) { throw refuse("filesystem grant \(p) \(problem)") }
                argv += [flag, real]
            }
        }
        argv.append("--")
        argv += command
        // The jailer itself keeps the user's real HOME; the module's HOME is set inside.
        if let home = host?.userHome { env["HOME"] = home }
        return LaunchSpec(
            module: spec.module, command: argv, workingDirectory: spec.workingDirectory, environment: env,
            networkAllow: spec.networkAllow)
    }
}
