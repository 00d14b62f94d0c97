import NexusPOSIX
import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on `vault.key.lock`, held while a key file is rotated or an interrupted
/// rotation is finished, so two processes never interleave writing `vault.key.next` and renaming it.
/// The kernel drops the lock when its holder dies, so a kill -9 never leaves it stuck.
struct RotationLock {
    let fd: Int32

    static func acquire(for file: KeyFile) throws(VaultError) -> RotationLock {
        let path = file.path + ".lock"
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try? FileSystem.ensureDirectory(String(path[..<slash]), mode: 0o700)
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .keyFileUnreadable(path: path, reason: "cannot open lock: \(KeyFile.errnoText())") }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = KeyFile.errnoText()
            close(fd)
            throw .keyFileUnreadable(path: path, reason: "cannot lock: \(reason)")
        }
        return RotationLock(fd: fd)
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
