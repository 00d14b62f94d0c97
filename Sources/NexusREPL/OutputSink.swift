#if canImport(Glibc)
    import Glibc
#endif

/// Unbuffered writes to stdout/stderr. A reader that went away (`| head`) ends the process quietly
/// with status 0, as DESIGN §4.1 asks, instead of dying by SIGPIPE or spamming errors.
public struct OutputSink: Sendable {
    public let fd: Int32
    public init(fd: Int32) { self.fd = fd }

    public static let stdout = OutputSink(fd: 1)
    public static let stderr = OutputSink(fd: 2)

    public func write(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            guard let base = buf.baseAddress else { return }
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, base + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { _exit(0) }
                    return
                }
                off += n
            }
        }
    }

    public var isTerminal: Bool { isatty(fd) == 1 }
}
