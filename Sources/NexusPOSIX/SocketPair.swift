#if canImport(Glibc)
    import Glibc
#endif

/// A connected pair of Unix stream sockets, both close-on-exec: the channel between nexus and a helper
/// process it starts (`nexus-admin`). One end is handed to the child with `SpawnOptions.passing`, which
/// clears close-on-exec on the copy it places; every other descriptor stays out of the child.
public struct SocketPair: Sendable {
    public let parentEnd: Int32
    public let childEnd: Int32

    /// A new pair, or nil when the system refuses (out of descriptors); the reason is in errno.
    public static func make() -> SocketPair? {
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { return nil }
        return SocketPair(parentEnd: fds[0], childEnd: fds[1])
    }

    /// Ends both directions of `fd` without closing it: a reader blocked on it (on any thread) sees end
    /// of input at once, and the peer does too.
    public static func shutdown(_ fd: Int32) { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    /// Whether `fd` is open (a descriptor number given on the command line may name nothing).
    public static func isOpen(_ fd: Int32) -> Bool { fcntl(fd, F_GETFD) != -1 }

    /// Marks `fd` close-on-exec (a descriptor inherited on purpose is not passed on further).
    public static func setCloseOnExec(_ fd: Int32) { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
}
