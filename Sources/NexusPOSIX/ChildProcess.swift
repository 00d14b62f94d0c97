#if canImport(Glibc)
    import Glibc
#endif

/// Starts child processes with `posix_spawn` and reaps them.
///
/// Why one place: module launchers, the local model server, the jail client, benchmarks and the test
/// harness all start children. Each used to build its own file actions, attributes and argv, with small
/// differences in error handling and leaks on early returns. The options say what differs; this does the
/// rest the same way everywhere.
public enum ChildProcess {
    /// Spawns `argv` and returns its pid. `executable` overrides the path run (default `argv[0]`).
    public static func spawn(
        _ argv: [String], executable: String? = nil, _ options: SpawnOptions = SpawnOptions()
    ) throws(SpawnError) -> pid_t {
        guard let program = executable ?? argv.first, !program.isEmpty else {
            throw SpawnError(program: "(empty command)", reason: "no program given")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, stream) in [(Int32(0), options.stdin), (1, options.stdout), (2, options.stderr)] {
            switch stream {
            case .inherit: break
            case .null: posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let source): posix_spawn_file_actions_adddup2(&actions, source, fd)
            case .appending(let path):
                posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            case .readWrite(let path): posix_spawn_file_actions_addopen(&actions, fd, path, O_RDWR, 0)
            case .sameAsStdout: posix_spawn_file_actions_adddup2(&actions, 1, fd)
            }
        }
        for passed in options.passing where passed.target > 2 {
            posix_spawn_file_actions_adddup2(&actions, passed.source, passed.target)
        }
        if options.closeOthers, let closeFrom = GNULibC.addCloseFrom {
            _ = closeFrom(&actions, (options.passing.map(\.target).max() ?? 2) + 1)
        }
        if let directory = options.directory {
            guard let addChdir = GNULibC.addChdir else {
                throw SpawnError(program: program, reason: "this C library cannot set a child's working directory")
            }
            _ = addChdir(&actions, directory)
        }

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var flags: Int32 = 0
        switch options.grouping {
        case .inherit: break
        case .newProcessGroup:
            posix_spawnattr_setpgroup(&attr, 0)
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        case .newSession:
            flags |= 0x80  // POSIX_SPAWN_SETSID (glibc ≥ 2.26; not imported by Swift's Glibc module)
        }
        if options.resetSignals {
            var defaults = sigset_t()
            sigemptyset(&defaults)
            for s in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, s) }
            posix_spawnattr_setsigdefault(&attr, &defaults)
            var noMask = sigset_t()
            sigemptyset(&noMask)
            posix_spawnattr_setsigmask(&attr, &noMask)
            flags |= Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        }
        posix_spawnattr_setflags(&attr, Int16(flags))

        var pid: pid_t = 0
        let rc = CStringArray(argv).withPointer { args in
            let mutableArgs = UnsafeMutablePointer(mutating: args)
            let run = { (envp: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int32 in
                let mutableEnv = UnsafeMutablePointer(mutating: envp)
                return options.searchPath
                    ? posix_spawnp(&pid, program, &actions, &attr, mutableArgs, mutableEnv)
                    : posix_spawn(&pid, program, &actions, &attr, mutableArgs, mutableEnv)
            }
            if let environment = options.environment {
                return CStringArray(environment: environment).withPointer(run)
            }
            return run(UnsafePointer(environ))
        }
        guard rc == 0 else { throw SpawnError(program: program, reason: String(cString: strerror(rc))) }
        return pid
    }

    /// Replaces this process with `argv` (looked up on PATH), with default signal handling and no signal
    /// blocked, as a shell's `exec` does. For a command whose only job is to run one server in the foreground:
    /// a signal sent to nexus's pid then reaches the server itself, and no server is left behind when nexus is
    /// killed. Returns only by throwing (the program could not be run).
    public static func replaceProcess(with argv: [String]) throws(SpawnError) -> Never {
        guard let program = argv.first, !program.isEmpty else {
            throw SpawnError(program: "(empty command)", reason: "no program given")
        }
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { Glibc.signal(s, SIG_DFL) }
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        let rc = CStringArray(argv).withPointer { args in execvp(program, args) }
        throw SpawnError(program: program, reason: String(cString: strerror(rc == -1 ? errno : rc)))
    }

    /// Waits for `pid` to end (retrying interrupted waits) and returns how it ended.
    @discardableResult
    public static func wait(_ pid: pid_t) -> WaitStatus {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return WaitStatus(raw: 0x7f00) }  // not our child: report exit 127
        }
        return WaitStatus(raw: status)
    }
}

extension ChildProcess {
    /// Gives `pid` up to `grace` seconds to end on its own, then kills it (SIGKILL) and reaps it.
    @discardableResult
    public static func reap(_ pid: pid_t, within grace: Double) -> WaitStatus {
        var status: Int32 = 0
        for _ in 0..<max(1, Int(grace * 50)) {
            if waitpid(pid, &status, WNOHANG) == pid { return WaitStatus(raw: status) }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        return wait(pid)
    }
}

/// How a child ended, decoded from a `waitpid` status.
public struct WaitStatus: Sendable, Equatable, CustomStringConvertible {
    public var raw: Int32

    public init(raw: Int32) { self.raw = raw }

    /// The exit code when it exited, nil when a signal ended it.
    public var exitCode: Int32? { raw & 0x7f == 0 ? (raw >> 8) & 0xff : nil }
    /// The signal that ended it, nil when it exited.
    public var signal: Int32? { raw & 0x7f == 0 ? nil : raw & 0x7f }
    /// The code a shell would report: the exit code, or 128 + the signal.
    public var shellCode: Int32 { exitCode ?? 128 + (signal ?? 0) }

    public var description: String {
        if let code = exitCode { return "exit status \(code)" }
        return "killed by signal \(signal ?? 0)"
    }
}
