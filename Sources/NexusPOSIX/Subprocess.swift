#if canImport(Glibc)
    import Glibc
#endif

/// Runs a real child process with piped stdin/stdout/stderr and collects its output, for end-to-end
/// tests that drive the built binary the way a shell would, and for benchmarks that run it.
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
        guard let inPipe = GNULibC.cloexecPipe(), let outPipe = GNULibC.cloexecPipe(),
            let errPipe = GNULibC.cloexecPipe()
        else {
            return Result(
                status: 127, stdout: "", stderr: "pipe: \(String(cString: strerror(errno)))", stdoutBytes: [],
                timedOut: false)
        }
        let options = SpawnOptions(
            stdin: .descriptor(inPipe[0]), stdout: .descriptor(outPipe[1]), stderr: .descriptor(errPipe[1]),
            environment: environment)
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(argv, options)
        } catch {
            for fd in inPipe + outPipe + errPipe { close(fd) }
            return Result(status: 127, stdout: "", stderr: error.description, stdoutBytes: [], timedOut: false)
        }
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        // Feed stdin and drain outputs together so neither side blocks on a full pipe.
        _ = fcntl(inPipe[1], F_SETFL, O_NONBLOCK)
        var input = stdin[...]
        var inFD: Int32 = inPipe[1]
        if input.isEmpty {
            close(inFD)
            inFD = -1
        }
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
        let code = ChildProcess.wait(pid).shellCode
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
