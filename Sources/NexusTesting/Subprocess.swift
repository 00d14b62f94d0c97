#if canImport(Glibc)
    import Glibc
#endif

/// Runs a real child process with piped stdin/stdout/stderr and collects its output, for end-to-end
/// tests that drive the built binary the way a shell would.
public enum Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var stdoutBytes: [UInt8]
        /// True when the process was killed for exceeding `timeout`.
        public var timedOut: Bool
    }

    /// - closeStdoutAfter: close our end of stdout after reading this many bytes (like `| head -c N`).
    public static func run(
        _ argv: [String], stdin: [UInt8] = [], environment: [String: String],
        timeout: Double = 60, closeStdoutAfter: Int? = nil
    ) -> Result {
        var inPipe: [Int32] = [0, 0]
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        pipe(&inPipe)
        pipe(&outPipe)
        pipe(&errPipe)
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in cArgs { free(p) }
            for p in cEnv { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            return Result(status: 127, stdout: "", stderr: "spawn failed: \(rc)", stdoutBytes: [], timedOut: false)
        }
        // Feed stdin and drain outputs together so neither side blocks on a full pipe.
        _ = fcntl(inPipe[1], F_SETFL, O_NONBLOCK)
        var input = stdin[...]
        var inFD: Int32 = inPipe[1]
        if input.isEmpty { close(inFD); inFD = -1 }
        var outFD = outPipe[0]
        var errFD = errPipe[0]
        var out: [UInt8] = []
        var err: [UInt8] = []
        let deadline = monotonic() + timeout
        var timedOut = false
        var buf = [UInt8](repeating: 0, count: 65536)
        while outFD >= 0 || errFD >= 0 {
            var fds: [pollfd] = []
            if inFD >= 0 { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
            if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
            if errFD >= 0 { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
            let left = deadline - monotonic()
            if left <= 0 {
                kill(pid, SIGKILL)
                timedOut = true
                break
            }
            let n = poll(&fds, nfds_t(fds.count), Int32(min(left, 1) * 1000))
            if n < 0 && errno != EINTR { break }
            for f in fds where f.revents != 0 {
                if f.fd == inFD {
                    let w = input.withUnsafeBytes { write(inFD, $0.baseAddress, min($0.count, 65536)) }
                    if w > 0 { input = input.dropFirst(w) }
                    if w < 0 && errno != EAGAIN || input.isEmpty {
                        close(inFD)
                        inFD = -1
                    }
                } else {
                    let r = buf.withUnsafeMutableBytes { read(f.fd, $0.baseAddress, $0.count) }
                    if r <= 0 {
                        if r < 0 && errno == EINTR { continue }
                        close(f.fd)
                        if f.fd == outFD { outFD = -1 } else { errFD = -1 }
                    } else if f.fd == outFD {
                        out += buf[0..<r]
                        if let limit = closeStdoutAfter, out.count >= limit {
                            close(outFD)
                            outFD = -1
                        }
                    } else {
                        err += buf[0..<r]
                    }
                }
            }
        }
        for fd in [inFD, outFD, errFD] where fd >= 0 { close(fd) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(
            status: code, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
            stdoutBytes: out, timedOut: timedOut)
    }

    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
