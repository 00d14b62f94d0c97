import NexusCore
import NexusSandbox

/// Starts module processes through the jailer (`nexus sandbox exec --mode integration`), so a module —
/// possibly written by a model — runs in its own namespaces with a scratch filesystem, seccomp,
/// Landlock and limits, and reaches only its manifest's `network.allow` hosts through the egress proxy.
///
/// The jailer is this same binary, re-executed. Credentials travel in the jailer's environment and are
/// named with `--env NAME` (no value), so they never appear on a command line. The module's folder is
/// the sandbox's workspace; its program must live where the jail can see it (the system directories,
/// or a runtime outside the home directory, mounted read-only).
public struct JailedLauncher: ModuleLauncher {
    let nexusExecutable: String
    let direct: DirectLauncher
    let memoryMB: Int
    /// Extra read-only directories every module sees (the repository's Python runtime helper).
    let sharedReadOnly: [String]
    /// Environment every module gets inside (PYTHONPATH for the runtime helper).
    let sharedEnvironment: [String: String]

    public init(
        nexusExecutable: String, memoryMB: Int, sharedReadOnly: [String] = [], sharedEnvironment: [String: String] = [:]
    ) {
        self.nexusExecutable = nexusExecutable
        self.direct = DirectLauncher(defaultPath: "/usr/local/bin:/usr/bin:/bin")
        self.memoryMB = memoryMB
        self.sharedReadOnly = sharedReadOnly
        self.sharedEnvironment = sharedEnvironment
    }

    public func launch(_ spec: LaunchSpec) throws -> LaunchedProcess {
        try direct.launch(jailedSpec(spec))
    }

    /// The spec that runs `spec` inside the jail: argv of the jailer, its environment, the same folder.
    public func jailedSpec(_ spec: LaunchSpec) -> LaunchSpec {
        var names = Set(spec.environment.keys)
        names.formUnion(sharedEnvironment.keys)
        var env = spec.environment
        for (k, v) in sharedEnvironment where env[k] == nil { env[k] = v }
        env["PATH"] = env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        names.insert("PATH")
        var argv = [
            nexusExecutable, "sandbox", "exec", "--mode", SandboxMode.integration.rawValue, "--workspace",
            spec.workingDirectory, "--timeout", "0", "--memory", String(memoryMB),
        ]
        for host in spec.networkAllow { argv += ["--allow-host", host] }
        for name in names.sorted() where name != "HOME" { argv += ["--env", name] }
        for dir in readOnlyDirectories(for: spec.command) { argv += ["--ro-path", dir] }
        argv.append("--")
        argv += spec.command
        return LaunchSpec(
            module: spec.module, command: argv, workingDirectory: spec.workingDirectory, environment: env,
            networkAllow: spec.networkAllow)
    }

    /// The runtime a command needs mounted: an absolute program outside the system directories brings
    /// its prefix (`/opt/venv/bin/python3` → `/opt/venv`).
    func readOnlyDirectories(for command: [String]) -> [String] {
        var dirs = sharedReadOnly
        if let program = command.first, program.hasPrefix("/") {
            let system = ["/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/"]
            if !system.contains(where: { program.hasPrefix($0) }) {
                var parts = program.split(separator: "/").map(String.init)
                if parts.count >= 3, parts[parts.count - 2] == "bin" {
                    parts.removeLast(2)
                    dirs.append("/" + parts.joined(separator: "/"))
                }
            }
        }
        return dirs
    }
}
