#if canImport(Glibc)
    import Glibc
#endif

/// Signals, liveness and exit for processes by pid: the calls the local model server, the module host,
/// the farm and the command line each made by hand.
public enum ProcessControl {
    /// The signals nexus sends or handles.
    public enum Signal: Sendable {
        case terminate, kill, interrupt
        public var number: Int32 {
            switch self {
            case .terminate: SIGTERM
            case .kill: SIGKILL
            case .interrupt: SIGINT
            }
        }
    }

    /// Sends `signal` to `pid`; false when there is no such process (or it is not ours to signal).
    @discardableResult
    public static func send(_ signal: Signal, to pid: Int32) -> Bool { Glibc.kill(pid, signal.number) == 0 }

    /// Sends `signal` to every process in the group led by `pid`.
    @discardableResult
    public static func send(_ signal: Signal, toGroup pid: Int32) -> Bool { Glibc.kill(-pid, signal.number) == 0 }

    /// Whether a process with this pid exists (signal 0: the permission check without a signal).
    public static func isAlive(_ pid: Int32) -> Bool { pid > 0 && Glibc.kill(pid, 0) == 0 }

    /// This process's id.
    public static var currentID: Int32 { getpid() }

    /// The working directory, or `/` when it cannot be named (it was removed).
    public static var currentDirectory: String {
        guard let p = getcwd(nil, 0) else { return "/" }
        defer { free(p) }
        return String(cString: p)
    }

    /// The running executable's path (`/proc/self/exe`), or `argv[0]` when it cannot be read.
    public static var executablePath: String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return CommandLine.arguments.first ?? "" }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Ends this process with `code` (runs atexit handlers and flushes stdio).
    public static func exit(_ code: Int32) -> Never { Glibc.exit(code) }

    /// Ends this process at once, without atexit handlers: from a signal handler or a forked child.
    public static func exitImmediately(_ code: Int32) -> Never { Glibc._exit(code) }

    /// Ignores `signal` (Ctrl-C handled elsewhere, through a dispatch source).
    public static func ignore(_ signal: Signal) { Glibc.signal(signal.number, SIG_IGN) }

    /// Gives `signal` back its default action.
    public static func restoreDefault(_ signal: Signal) { Glibc.signal(signal.number, SIG_DFL) }

    /// Ignores SIGPIPE: a write to a closed pipe or socket then fails with EPIPE instead of killing us.
    public static func ignoreBrokenPipe() { signal(SIGPIPE, SIG_IGN) }
}

extension ChildProcess {
    /// How `pid` ended if it has (and reaps it); nil while it still runs.
    public static func exitedStatus(_ pid: Int32) -> WaitStatus? {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid ? WaitStatus(raw: status) : nil
    }
}
