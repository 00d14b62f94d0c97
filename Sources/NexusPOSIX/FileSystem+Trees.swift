#if canImport(Glibc)
    import Glibc
#endif

/// The file calls a tree copy, swap and removal needs (the module installer's, the tests' folders):
/// created without following a link, swapped in one step, made durable, removed whole.
extension FileSystem {
    /// Creates the one directory `path` with `mode`; one already there is fine.
    public static func createDirectoryIfMissing(_ path: String, mode: mode_t = 0o700) throws(FileSystemError) {
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw .io(path: path, operation: "create directory", errno: errno)
        }
    }

    /// Creates the symbolic link `path` holding `target` (not checked or resolved).
    public static func createSymbolicLink(_ path: String, target: String) throws(FileSystemError) {
        if symlink(target, path) != 0 { throw .io(path: path, operation: "create symbolic link", errno: errno) }
    }

    /// Creates the new file `path` for writing: never an existing file, never through a symbolic link.
    /// The caller closes the descriptor (`Descriptor.close`).
    public static func createNewFile(_ path: String, mode: mode_t) throws(FileSystemError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(path: path, operation: "create", errno: errno) }
        return fd
    }

    /// Writes `bytes` to `path` in place (created or truncated) and sets `mode`; not atomic: for files in a
    /// folder nobody reads yet (a staging copy, a test's fixture). Use `writeAtomically` for anything else.
    public static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(FileSystemError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(path: path, operation: "create", errno: errno) }
        defer { _ = close(fd) }
        guard Descriptor.writeAll(fd, bytes) else { throw .io(path: path, operation: "write", errno: errno) }
        _ = fchmod(fd, mode)
    }

    /// Removes `path` and everything below it without following a symbolic link; a missing path is fine.
    public static func removeTree(_ path: String) {
        guard isDirectoryNotFollowingLink(path) else {
            _ = unlink(path)
            return
        }
        for name in list(path) { removeTree(path + "/" + name) }
        _ = rmdir(path)
    }

    /// Swaps two existing paths in one step (Linux `renameat2(RENAME_EXCHANGE)`): at every instant each
    /// path holds one complete tree.
    public static func exchange(_ a: String, _ b: String) throws(FileSystemError) {
        guard let fn = GNULibC.renameat2 else {
            throw .io(path: b, operation: "swap with \(a) (no renameat2)", errno: ENOSYS)
        }
        if fn(AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */) != 0 {
            throw .io(path: b, operation: "swap with \(a)", errno: errno)
        }
    }

    /// Makes a directory's entries durable (after a rename inside it). Best effort: a directory that cannot
    /// be opened or synced leaves the rename done, only not yet on disk.
    public static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            _ = close(fd)
        }
    }
}

extension Descriptor {
    /// Sets the permission bits of the file open on `fd` (after writing it: a umask cannot narrow them).
    @discardableResult
    public static func setMode(_ fd: Int32, _ mode: mode_t) -> Bool { fchmod(fd, mode) == 0 }
}
