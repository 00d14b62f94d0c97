import CNexusJail
import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny TCP server on 127.0.0.1 for benchmarks and tests: each accepted connection is handed to
/// `handler` on its own thread and closed afterwards.
public final class LoopbackServer: Sendable {
    public let port: Int
    let fd: Int32
    let accepting: NativeThread

    public static func start(handler: @escaping @Sendable (Int32) -> Void) -> LoopbackServer? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        a.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &a) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                bind(fd, sp, len) == 0 && listen(fd, 64) == 0 && getsockname(fd, sp, &len) == 0
            }
        }
        guard ok else {
            close(fd)
            return nil
        }
        let port = Int(UInt16(bigEndian: a.sin_port))
        let t = NativeThread(name: "loopback-accept") {
            while true {
                let c = nj_accept_cloexec(fd)
                if c < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    return
                }
                DetachedThread.start {
                    handler(c)
                    close(c)
                }
            }
        }
        guard t.isRunning else {
            close(fd)
            return nil
        }
        return LoopbackServer(port: port, fd: fd, accepting: t)
    }

    init(port: Int, fd: Int32, accepting: NativeThread) {
        self.port = port
        self.fd = fd
        self.accepting = accepting
    }

    /// Stops accepting (connections already handed out finish on their own).
    public func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        accepting.join()
        close(fd)
    }
}

/// Connecting to a unix socket path (tests and benchmarks talk to the proxy this way).
public enum UnixClient {
    public static func connect(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            return nil
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if rc != 0 {
            close(fd)
            return nil
        }
        return fd
    }
}
