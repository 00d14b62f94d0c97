import NexusPOSIX
import NexusStore

/// An advisory lock (`flock`) on `modules/.install.lock`, held while an install, upgrade, rollback or
/// removal runs, so a second nexus (a chat session beside `nexus modules install`) never "recovers" an
/// operation that is still under way. The kernel drops it when the holder dies, even by kill -9.
final class InstallLock {
    private let lock: FileLock

    /// Waits for the lock (`blocking`) or returns nil when another process holds it.
    init?(modulesDirectory: String, blocking: Bool) {
        // A directory that cannot be created shows up as the open below failing: the caller reports that.
        try? FileSystem.ensureDirectory(modulesDirectory, mode: 0o700)
        guard let lock = try? FileLock(path: modulesDirectory + "/.install.lock", waiting: blocking) else {
            return nil
        }
        self.lock = lock
    }

    func release() { lock.release() }
}
