#if canImport(Glibc)
    import Glibc
#endif

/// TCP sockets on 127.0.0.1 for the small servers and clients beside the product: the fake model and
/// embedding servers of the tests, the benchmarks' stream and collector peers, and the tests' HTTP client.
/// Blocking calls, each retrying EINTR; a thread per connection is the callers' model.
public enum LoopbackSocket {
    /// A listening socket on 127.0.0.1 and its port (`port` 0 = any free one); nil when it cannot be had.
    public static func listen(port: UInt16 = 0, backlog: Int32 = 64) -> (fd: Int32, port: UInt16)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = address(port: port)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && Glibc.listen(fd, backlog) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard ok else {
            _ = close(fd)
            return nil
        }
        return (fd, UInt16(bigEndian: addr.sin_port))
    }

    /// A port nothing listens on right now (bound, read and released): for a child told `--port N`.
    public static func freePort() -> UInt16? {
        guard let (fd, port) = listen() else { return nil }
        _ = close(fd)
        return port
    }

    /// The next connection on `listener`; nil once the listener is shut down or fails.
    public static func accept(_ listener: Int32) -> Int32? {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                return fd
            }
            if errno != EINTR { return nil }
        }
    }

    /// A connection to 127.0.0.1:`port`, reads giving up after `receiveTimeout` seconds (0 = never);
    /// nil when nothing accepts.
    public static func connect(port: UInt16, receiveTimeout: Int = 0) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        if receiveTimeout > 0 {
            var tv = timeval(tv_sec: receiveTimeout, tv_usec: 0)
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
        var addr = address(port: port)
        var rc: Int32
        repeat {
            rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } while rc != 0 && errno == EINTR
        guard rc == 0 else {
            _ = close(fd)
            return nil
        }
        return fd
    }

    /// Sends every byte (no SIGPIPE); false when the peer is gone.
    @discardableResult
    public static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { p -> Int in
                guard let base = p.baseAddress else { return -1 }
                return send(fd, base + off, bytes.count - off, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                return false
            }
            off += n
        }
        return true
    }

    /// One receive into `buffer`: the count, 0 when the peer closed, -1 on an error or a receive timeout.
    public static func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Int {
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    /// Sends each write at once (TCP_NODELAY): for a server whose small writes are timed (a token stream).
    public static func sendAtOnce(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Ends both directions of `fd` (a thread blocked on it wakes); the descriptor stays open.
    public static func shutdown(_ fd: Int32) { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    private static func address(port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return addr
    }
}
