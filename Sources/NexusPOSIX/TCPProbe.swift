#if canImport(Glibc)
    import Glibc
#endif

/// Whether something accepts TCP connections at an address: start-up checks for a server nexus runs
/// (the local model server) or expects (a provider on loopback).
public enum TCPProbe {
    /// A TCP connect to an IPv4 literal address (`localhost` means 127.0.0.1); true when something accepts.
    /// A host name other than `localhost` is not resolved and answers false.
    public static func isListening(host: String, port: Int) -> Bool {
        guard (0...65535).contains(port) else { return false }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        let h = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, h, &addr.sin_addr) == 1 else { return false }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return rc == 0
    }
}
