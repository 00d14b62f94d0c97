import NexusCore

#if canImport(Glibc)
    import Glibc
#endif

/// Spawns a module as a plain child process: no jail, but nothing inherited either.
///
/// The child gets an empty environment except PATH, LANG, TZ, HOME (its workspace) and what the spec
/// adds (credentials); its own process group so it can be ended whole; stdin/stdout/stderr on pipes
/// created close-on-exec, so one module never holds another's pipes open; default signal dispositions
/// (nexus ignores SIGPIPE, a child must not inherit that). The network allow-list is NOT enforced here;
/// that is the jailed launcher's job.
public struct DirectLauncher: ModuleLauncher {
    /// PATH given to children when the spec does not set one.
    public var defaultPath: String

    public init(defaultPath: String? = nil) {
        if let defaultPath {
            self.defaultPath = defaultPath
        } else if let p = getenv("PATH") {
            self.defaultPath = String(cString: p)
        } else {
            self.defaultPath = "/usr/local/bin:/usr/bin:/bin"
        }
        Self.ignoreSIGPIPE
    }

    /// Writes to a module whose process died must fail with EPIPE, not kill nexus.
    private static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// The base environment every module gets, before credentials.
    public func baseEnvironment(home: String) -> [String: String] {
        var env: [String: String] = ["PATH": defaultPath, "HOME": home, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"]
        env["LANG"] = getenv("LANG").map { String(cString: $0) } ?? "C.UTF-8"
        env["TZ"] = getenv("TZ").map { String(cString: $0) } ?? "UTC"
        return env
    }

    public func launch(_ spec: LaunchSpec) throws -> LaunchedProcess {
        guard let program = spec.command.first, !program.isEmpty else {
            throw LaunchError(module: spec.module, command: spec.command, reason: "empty command")
        }
        var env = baseEnvironment(home: spec.workingDirectory)
        for (k, v) in spec.environment { env[k] = v }
        guard let resolved = Self.resolve(program, path: env["PATH"] ?? defaultPath, cwd: spec.workingDirectory) else {
            throw LaunchError(module: spec.module, command: spec.command, reason: "program not found on PATH")
        }

        guard let addChdir = GNULibC.addChdir else {
            throw LaunchError(module: spec.module, command: spec.command, reason: "this C library cannot set a child's directory")
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

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        _ = addChdir(&actions, spec.workingDirectory)

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attr, &noMask)
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = spec.command.map { strdup($0) } + [nil]
        let envp = env.sorted(by: { $0.key < $1.key }).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, resolved, &actions, &attr, argv, envp)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            closeAll([inPipe[1], outPipe[0], errPipe[0]])
            throw LaunchError(module: spec.module, command: spec.command, reason: String(cString: strerror(rc)))
        }
        return LaunchedProcess(pid: pid, processGroup: pid, stdin: inPipe[1], stdout: outPipe[0], stderr: errPipe[0])
    }

    /// Finds `program` like execvp does: a path with a slash is taken relative to the working directory.
    static func resolve(_ program: String, path: String, cwd: String) -> String? {
        if program.contains("/") {
            let full = program.hasPrefix("/") ? program : cwd + "/" + program
            return access(full, X_OK) == 0 ? full : nil
        }
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let full = "\(dir)/\(program)"
            if access(full, X_OK) == 0 { return full }
        }
        return nil
    }

    private func fail(_ spec: LaunchSpec, _ what: String) -> LaunchError {
        LaunchError(module: spec.module, command: spec.command, reason: "\(what): \(String(cString: strerror(errno)))")
    }

    private func closeAll(_ fds: [Int32]) { for fd in fds where fd >= 0 { close(fd) } }
}
