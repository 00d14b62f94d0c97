import NexusCore
import NexusPOSIX

/// Spawns a module as a plain child process: no jail, but nothing inherited either.
///
/// The child gets an empty environment except PATH, LANG, TZ, HOME (its workspace) and what the spec
/// adds (credentials); its own process group so it can be ended whole; stdin/stdout/stderr on pipes
/// created close-on-exec, so one module never holds another's pipes open; default signal dispositions
/// (nexus ignores SIGPIPE, a child must not inherit that); and it is tethered to nexus
/// (`ChildProcess.spawnTethered`): killed with it, however nexus ends, since no jailer watches nexus here.
/// The network allow-list is NOT enforced here; that is the jailed launcher's job.
public struct DirectLauncher: ModuleLauncher {
    /// PATH given to children when the spec does not set one.
    public var defaultPath: String

    public init(defaultPath: String? = nil) {
        if let defaultPath {
            self.defaultPath = defaultPath
        } else if let p = Environment.get("PATH") {
            self.defaultPath = p
        } else {
            self.defaultPath = "/usr/local/bin:/usr/bin:/bin"
        }
        Self.ignoreSIGPIPE
    }

    /// Writes to a module whose process died must fail with EPIPE, not kill nexus.
    private static let ignoreSIGPIPE: Void = { ProcessControl.ignoreBrokenPipe() }()

    /// The base environment every module gets, before credentials.
    public func baseEnvironment(home: String) -> [String: String] {
        var env: [String: String] = [
            "PATH": defaultPath, "HOME": home, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1",
        ]
        env["LANG"] = Environment.get("LANG") ?? "C.UTF-8"
        env["TZ"] = Environment.get("TZ") ?? "UTC"
        return env
    }

    public func launch(_ spec: LaunchSpec) throws -> LaunchedProcess {
        guard let program = spec.command.first, !program.isEmpty else {
            throw LaunchError(module: spec.module, command: spec.command, reason: "empty command")
        }
        var env = baseEnvironment(home: spec.dataDirectory ?? spec.workingDirectory)
        for (k, v) in spec.environment { env[k] = v }
        var command = spec.command
        if let data = spec.dataDirectory {
            // No jail: the folder stays where it is, the data directory is where the module works.
            command = ModuleCommandLine.anchored(command, folder: spec.workingDirectory, anchor: spec.workingDirectory)
            env["HOME"] = data
            env["NEXUS_MODULE_DATA"] = data
        }
        let cwd = spec.dataDirectory ?? spec.workingDirectory
        guard let resolved = Self.resolve(command[0], path: env["PATH"] ?? defaultPath, cwd: cwd) else {
            throw LaunchError(module: spec.module, command: spec.command, reason: "program not found on PATH")
        }

        guard let inPipe = GNULibC.cloexecPipe() else { throw fail(spec, "pipe") }
        guard let outPipe = GNULibC.cloexecPipe() else {
            closeAll(inPipe)
            throw fail(spec, "pipe")
        }
        guard let errPipe = GNULibC.cloexecPipe() else {
            closeAll(inPipe + outPipe)
            throw fail(spec, "pipe")
        }
        let options = SpawnOptions(
            stdin: .descriptor(inPipe[0]), stdout: .descriptor(outPipe[1]), stderr: .descriptor(errPipe[1]),
            environment: env, directory: cwd, grouping: .newProcessGroup, resetSignals: true)
        let pid: Int32
        do {
            // Tethered: SIGKILL when nexus ends however it ends; no jailer watches nexus on this path.
            pid = try ChildProcess.spawnTethered(command, executable: resolved, options)
        } catch {
            closeAll(inPipe + outPipe + errPipe)
            throw LaunchError(module: spec.module, command: spec.command, reason: error.reason)
        }
        closeAll([inPipe[0], outPipe[1], errPipe[1]])
        return LaunchedProcess(pid: pid, processGroup: pid, stdin: inPipe[1], stdout: outPipe[0], stderr: errPipe[0])
    }

    /// Finds `program` like execvp does: a path with a slash is taken relative to the working directory.
    static func resolve(_ program: String, path: String, cwd: String) -> String? {
        if program.contains("/") {
            let full = program.hasPrefix("/") ? program : cwd + "/" + program
            return FileSystem.isExecutable(full) ? full : nil
        }
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let full = "\(dir)/\(program)"
            if FileSystem.isExecutable(full) { return full }
        }
        return nil
    }

    private func fail(_ spec: LaunchSpec, _ what: String) -> LaunchError {
        LaunchError(module: spec.module, command: spec.command, reason: "\(what): \(SystemError.currentText)")
    }

    private func closeAll(_ fds: [Int32]) { for fd in fds where fd >= 0 { Descriptor.close(fd) } }
}
