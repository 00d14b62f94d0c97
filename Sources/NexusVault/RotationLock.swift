import NexusPOSIX
import NexusStore

/// An exclusive `flock` on `vault.key.lock`, held while a key file is rotated or an interrupted
/// rotation is finished, so two processes never interleave writing `vault.key.next` and renaming it.
/// The kernel drops the lock when its holder dies, so a kill -9 never leaves it stuck.
struct RotationLock {
    let lock: FileLock

    static func acquire(for file: KeyFile) throws(VaultError) -> RotationLock {
        let path = file.path + ".lock"
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            // A directory that cannot be created shows up as the lock's open failing, reported below.
            try? FileSystem.ensureDirectory(String(path[..<slash]), mode: 0o700)
        }
        do {
            return RotationLock(lock: try FileLock(path: path))
        } catch {
            throw .keyFileUnreadable(path: path, reason: error.reason)
        }
    }

    func release() { lock.release() }
}
