import NexusPOSIX
import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

/// An advisory lock (`flock`) on `modules/.install.lock`, held while an install, upgrade, rollback or
/// removal runs, so a second nexus (a chat session beside `nexus modules install`) never "recovers" an
/// operation that is still under way. The kernel drops it when the holder dies, even by kill -9.
final class InstallLock {
    private var fd: Int32

    /// Waits for the lock (`blocking`) or returns nil when another process holds it.
    init?(modulesDirectory: String, blocking: Bool) {
        try? FileSystem.ensureDirectory(modulesDirectory, mode: 0o700)
        let fd = open(modulesDirectory + "/.install.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        while flock(fd, blocking ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            close(fd)
            return nil
        }
        self.fd = fd
    }

    func release() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    deinit { release() }
}
