import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A running child process (a module, a gate check, a farm server): its pid, process group and the three pipe ends nexus holds.
///
/// Whoever reads `stdout` to its end calls `reap()`, the one place that waits for the child, so there is
/// never a second `waitpid` racing for the same pid. `terminate` closes stdin (the MCP way of asking a
/// server to leave), then signals the whole process group: SIGTERM, and SIGKILL after a grace period.
public final class LaunchedProcess: Sendable {
    public let pid: pid_t
    /// Process group to signal (normally equal to `pid`).
    public let processGroup: pid_t
    /// Write end of the child's stdin.
    public let stdin: Int32
    /// Read end of the child's stdout.
    public let stdout: Int32
    /// Read end of the child's stderr.
    public let stderr: Int32

    private struct State {
        var exitStatus: Int32?
        var stdinClosed = false
        var signalled = false
        /// nexus asked the process to end (close, idle, reload, exit): its SIGTERM/SIGKILL ending, or the
        /// jailer's 128+signal status, is then a normal shutdown, not a crash.
        var stopRequested = false
    }
    private let state = Mutex(State())

    public init(pid: pid_t, processGroup: pid_t, stdin: Int32, stdout: Int32, stderr: Int32) {
        self.pid = pid
        self.processGroup = processGroup
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        // Writes never block for long: a module that stops reading fails the write after `writeWaitMs`.
        let flags = fcntl(stdin, F_GETFL)
        if flags >= 0 { _ = fcntl(stdin, F_SETFL, flags | O_NONBLOCK) }
    }

    /// How long a write waits for a full pipe to drain before the module counts as not reading.
    public static let writeWaitMs: Int32 = 2000

    /// Raw wait status once the child was reaped, nil while it runs.
    public var exitStatus: Int32? { state.withLock { $0.exitStatus } }

    /// "exit status 3" / "killed by signal 9", for messages; "stopped by nexus" when nexus ended it.
    public var exitDescription: String? {
        let (status, stopped) = state.withLock { ($0.exitStatus, $0.stopRequested) }
        guard let s = status else { return nil }
        if stopped && Self.isStopSignal(status: s) { return "stopped by nexus" }
        return Self.describe(status: s)
    }

    /// Whether `status` is how a process ends on SIGTERM/SIGKILL, directly or through the jailer
    /// (which exits 128+signal when told to stop).
    static func isStopSignal(status s: Int32) -> Bool {
        let w = WaitStatus(raw: s)
        if let sig = w.signal { return sig == SIGTERM || sig == SIGKILL }
        return w.exitCode == 128 + SIGTERM || w.exitCode == 128 + SIGKILL
    }

    /// Marks the ending that follows as asked for by nexus.
    func markStopRequested() { state.withLock { $0.stopRequested = true } }

    public static func describe(status s: Int32) -> String { WaitStatus(raw: s).description }

    /// Blocks until the child exits and records its status. Call once, from the stdout reader.
    public func reap() {
        let status = ChildProcess.wait(pid).raw
        state.withLock { $0.exitStatus = status }
    }

    /// Records the exit status if the child ends within `ms` milliseconds; never blocks longer. Call
    /// only from the stdout reader (the one waiter).
    public func reapIfExited(withinMs ms: Int) -> Bool {
        var status: Int32 = 0
        for waited in stride(from: 0, through: ms, by: 2) {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                state.withLock { $0.exitStatus = status }
                return true
            }
            if r < 0 && errno != EINTR { break }
            if waited < ms { usleep(2000) }
        }
        return false
    }

    /// Ends a child that is still running (EOF on stdin, SIGTERM to the group, SIGKILL after
    /// `graceMs`) and reaps it. Call only from the stdout reader.
    public func endAndReap(graceMs: Int) {
        markStopRequested()
        closeStdin()
        signal(SIGTERM)
        if reapIfExited(withinMs: graceMs) { return }
        signal(SIGKILL)
        reap()
    }

    /// Writes all of `bytes` to the child's stdin. Returns false when the child stopped reading.
    ///
    /// A message given up part-way is the end of the stream: stdin is closed. Left open, the next message
    /// would be read as the rest of the cut one, and every later request to that child would go unanswered.
    public func writeAll(_ bytes: [UInt8]) -> Bool {
        if state.withLock({ $0.stdinClosed }) { return false }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.write(stdin, base + off, raw.count - off)
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    var p = pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0)
                    if poll(&p, 1, Self.writeWaitMs) > 0 && p.revents & Int16(POLLOUT) != 0 { continue }
                }
                if off > 0 { closeStdin() }
                return false
            }
            off += n
        }
        return true
    }

    /// Closes stdin once (EOF for the child).
    public func closeStdin() {
        let close: Bool = state.withLock { s in
            defer { s.stdinClosed = true }
            return !s.stdinClosed
        }
        if close { Glibc.close(stdin) }
    }

    /// Sends `signal` to the whole process group (falls back to the pid).
    public func signal(_ signal: ProcessControl.Signal) { self.signal(signal.number) }

    /// Sends the signal numbered `sig` to the whole process group (falls back to the pid).
    public func signal(_ sig: Int32) {
        if exitStatus != nil { return }
        if kill(-processGroup, sig) != 0 { kill(pid, sig) }
    }

    /// Ends the process: EOF on stdin, SIGTERM to the group, SIGKILL after `graceMs`. Returns when the
    /// child was reaped (by the stdout reader) or after the SIGKILL wait.
    public func terminate(graceMs: Int = 500) {
        markStopRequested()
        closeStdin()
        if exitStatus != nil { return }
        if waitForExit(ms: 50) { return }
        signal(SIGTERM)
        if waitForExit(ms: graceMs) { return }
        signal(SIGKILL)
        _ = waitForExit(ms: 2000)
    }

    /// Polls for the reaper's result for up to `ms` milliseconds.
    @discardableResult
    public func waitForExit(ms: Int) -> Bool {
        var waited = 0
        while waited <= ms {
            if exitStatus != nil { return true }
            usleep(2000)
            waited += 2
        }
        return exitStatus != nil
    }

    deinit {
        closeStdin()
        Glibc.close(stdout)
        Glibc.close(stderr)
    }
}
