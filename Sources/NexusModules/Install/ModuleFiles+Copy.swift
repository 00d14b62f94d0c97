import NexusCore
import NexusPOSIX
import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

/// Copying, removing and swapping module trees.
extension ModuleFiles {
    /// Copies the content of `src` (see `visit`) into a new directory `dst`. Files are read through the
    /// open parent directory with `O_NOFOLLOW` and checked with `fstat`; a symbolic link is recreated
    /// only when it stays inside the tree; FIFOs, sockets and devices are refused.
    public static func copyTree(_ src: String, to dst: String, scope: Scope = .everything) throws(FileSystemError) {
        try FileSystem.ensureDirectory(dst, mode: 0o755)
        try visit(src, scope: scope) { (e, dir, name) throws(FileSystemError) in
            let from = src + "/" + e.path
            let to = dst + "/" + e.path
            switch e.kind {
            case .directory:
                if mkdir(to, 0o755) != 0 && errno != EEXIST {
                    throw .io(path: to, operation: "create directory", errno: errno)
                }
            case .symlink(let target):
                if target.isEmpty || target.hasPrefix("/")
                    || ManifestValidator.relativePathProblem(e.path + "/../" + target) != nil
                {
                    throw .io(path: from, operation: "copy a symbolic link that leaves the module folder", errno: EPERM)
                }
                if symlink(target, to) != 0 { throw .io(path: to, operation: "create symbolic link", errno: errno) }
            case .other:
                throw .io(path: from, operation: "copy (not a regular file, directory or link)", errno: EPERM)
            case .file(let exec):
                let out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, exec ? 0o755 : 0o644)
                guard out >= 0 else { throw .io(path: to, operation: "create", errno: errno) }
                defer { close(out) }
                var written = true
                do throws(DirectoryHandle.Failure) {
                    try dir.readRegularFile(
                        name, limit: fileLimit,
                        chunk: { bytes in if written { written = Descriptor.writeAll(out, Array(bytes)) } })
                } catch {
                    throw failure(error, from, "copy")
                }
                guard written else { throw .io(path: to, operation: "write", errno: errno) }
                fchmod(out, exec ? 0o755 : 0o644)
            }
        }
    }

    static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(FileSystemError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(path: path, operation: "create", errno: errno) }
        defer { close(fd) }
        guard Descriptor.writeAll(fd, bytes) else { throw .io(path: path, operation: "write", errno: errno) }
        fchmod(fd, mode)
    }

    /// Removes `path` and everything below it; a missing path is fine.
    public static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if st.st_mode & S_IFMT == S_IFDIR {
            for name in FileSystem.list(path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Swaps two existing directories in one step (Linux `renameat2(RENAME_EXCHANGE)`): at every instant
    /// each path holds one complete tree.
    public static func exchange(_ a: String, _ b: String) throws(FileSystemError) {
        guard let fn = GNULibC.renameat2 else {
            throw .io(path: b, operation: "swap with \(a) (no renameat2)", errno: ENOSYS)
        }
        if fn(AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */) != 0 {
            throw .io(path: b, operation: "swap with \(a)", errno: errno)
        }
    }

    public static func rename(_ a: String, _ b: String) throws(FileSystemError) {
        if Glibc.rename(a, b) != 0 { throw .io(path: b, operation: "rename \(a) to", errno: errno) }
    }

    /// Makes a directory's entries durable (after a rename inside it).
    public static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
