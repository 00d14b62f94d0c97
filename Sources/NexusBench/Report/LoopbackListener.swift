#if canImport(Glibc)
    import Glibc
#endif

/// A listening TCP socket on 127.0.0.1 and a free port, for the suites' own small servers (the SSE stream of
/// the LLM suite, the OTLP collector of the tracing run).
enum LoopbackListener {
    /// The socket and its port; nil when none could be had.
    static func open(backlog: Int32) -> (fd: Int32, port: UInt16)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && listen(fd, backlog) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard ok else {
            close(fd)
            return nil
        }
        return (fd, UInt16(bigEndian: addr.sin_port))
    }
}
