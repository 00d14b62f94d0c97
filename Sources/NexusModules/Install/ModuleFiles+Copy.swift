import NexusCore
import NexusPOSIX
import NexusStore

/// Copying, removing and swapping module trees.
extension ModuleFiles {
    /// Copies the content of `src` (see `visit`) into a new directory `dst`. Files are read through the
    /// open parent directory with `O_NOFOLLOW` and checked with `fstat`; a symbolic link is recreated
    /// only when it stays inside the tree; FIFOs, sockets and devices are refused.
    /// The operation a refused outward link names (`InstallError.copying` turns it into its own error).
    static let linkLeavesFolder = "copy a symbolic link that leaves the module folder"

    public static func copyTree(_ src: String, to dst: String, scope: Scope = .everything) throws(FileSystemError) {
        try FileSystem.ensureDirectory(dst, mode: 0o755)
        try visit(src, scope: scope) { (e, dir, name) throws(FileSystemError) in
            let from = src + "/" + e.path
            let to = dst + "/" + e.path
            switch e.kind {
            case .directory:
                try FileSystem.createDirectoryIfMissing(to, mode: 0o755)
            case .symlink(let target):
                if target.isEmpty || target.hasPrefix("/")
                    || ManifestValidator.relativePathProblem(e.path + "/../" + target) != nil
                {
                    throw .io(path: from, operation: Self.linkLeavesFolder, errno: SystemError.notPermitted)
                }
                try FileSystem.createSymbolicLink(to, target: target)
            case .other:
                throw .io(
                    path: from, operation: "copy (not a regular file, directory or link)",
                    errno: SystemError.notPermitted)
            case .file(let exec):
                let mode: UInt32 = exec ? 0o755 : 0o644
                let out = try FileSystem.createNewFile(to, mode: mode)
                defer { Descriptor.close(out) }
                var written = true
                do throws(DirectoryHandle.Failure) {
                    try dir.readRegularFile(
                        name, limit: fileLimit,
                        chunk: { bytes in if written { written = Descriptor.writeAll(out, Array(bytes)) } })
                } catch {
                    throw failure(error, from, "copy")
                }
                guard written else { throw .io(path: to, operation: "write", errno: SystemError.current) }
                Descriptor.setMode(out, mode)
            }
        }
    }

    /// `dst` as a tree of hard links to `src`'s regular files (directories made, in-tree links recreated):
    /// for a kept version whose files another kept version already holds. Throws on the first file that
    /// cannot be linked (another file system, a link limit); the caller copies instead.
    static func linkTree(_ src: String, to dst: String) throws(FileSystemError) {
        try FileSystem.ensureDirectory(dst, mode: 0o755)
        try visit(src, scope: .everything) { (e, dir, name) throws(FileSystemError) in
            let to = dst + "/" + e.path
            switch e.kind {
            case .directory: try FileSystem.createDirectoryIfMissing(to, mode: 0o755)
            case .symlink(let target): try FileSystem.createSymbolicLink(to, target: target)
            case .other: throw .io(path: src + "/" + e.path, operation: "link", errno: SystemError.notPermitted)
            case .file:
                if !dir.hardLink(name, to: to) { throw .io(path: to, operation: "link", errno: SystemError.current) }
            }
        }
    }

    static func writeFile(_ path: String, _ bytes: [UInt8], mode: UInt32) throws(FileSystemError) {
        try FileSystem.writeFile(path, bytes, mode: mode)
    }

    /// Removes `path` and everything below it; a missing path is fine.
    public static func removeTree(_ path: String) { FileSystem.removeTree(path) }

    /// Swaps two existing directories in one step (Linux `renameat2(RENAME_EXCHANGE)`): at every instant
    /// each path holds one complete tree.
    public static func exchange(_ a: String, _ b: String) throws(FileSystemError) { try FileSystem.exchange(a, b) }

    public static func rename(_ a: String, _ b: String) throws(FileSystemError) {
        if !FileSystem.rename(a, to: b) { throw .io(path: b, operation: "rename \(a) to", errno: SystemError.current) }
    }

    /// Makes a directory's entries durable (after a rename inside it).
    public static func syncDirectory(_ path: String) { FileSystem.syncDirectory(path) }
}
