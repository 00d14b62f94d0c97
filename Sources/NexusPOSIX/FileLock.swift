#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock (`flock`) on a lock file, held until `release` (or the holder's death:
/// the kernel drops it even after kill -9, so a crash never leaves it stuck). The module installer
/// and the vault's key rotation each hold one while they change files another process may read.
public final class FileLock {
    private var fd: Int32

    /// Why the lock was not taken: the file could not be opened, another process holds it (only when
    /// not waiting), or the lock call failed; `errno` as the kernel gave it.
    public enum Failure: Error, Sendable, Equatable {
        case open(errno: Int32)
        case held
        case lock(errno: Int32)

        /// The system's words for what went wrong.
        public var reason: String {
            switch self {
            case .open(let e): "cannot open lock: \(SystemError.text(e))"
            case .held: "another process holds the lock"
            case .lock(let e): "cannot lock: \(SystemError.text(e))"
            }
        }
    }

    /// Opens (creating, mode 0600) `path` and locks it: waits for it when `waiting`, else fails `.held`.
    public init(path: String, waiting: Bool = true) throws(Failure) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .open(errno: errno) }
        while flock(fd, waiting ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            if e == EINTR { continue }
            close(fd)
            throw e == EWOULDBLOCK ? .held : .lock(errno: e)
        }
        self.fd = fd
    }

    /// Drops the lock (once; later calls do nothing).
    public func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
