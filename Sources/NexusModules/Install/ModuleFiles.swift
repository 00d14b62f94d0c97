import NexusCore
import NexusPOSIX
import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

/// File-tree operations a module install needs beyond `FileSystem`: walking a folder in a stable order,
/// its content digest, copying and removing trees, and swapping two directories atomically.
public enum ModuleFiles {
    /// Names never part of a module's content: earlier versions, Python caches, install scratch.
    static func isExcluded(_ relative: String, name: String) -> Bool {
        if relative == "versions" || name == "__pycache__" || name == ".pytest_cache" { return true }
        if name.hasPrefix(".nexus-") { return true }
        return false
    }

    public static func read(_ path: String, limit: Int = 64 << 20) throws(FileSystemError) -> [UInt8] {
        try FileSystem.read(path, limit: limit)
    }

    /// One entry of a walked tree, relative to its root.
    public struct Entry: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case file(executable: Bool), directory, symlink(String) }
        public var path: String
        public var kind: Kind
    }

    /// Every entry under `root` (content only: see `isExcluded`), directories before their children,
    /// sorted by byte order so the digest does not depend on the file system.
    public static func walk(_ root: String) -> [Entry] {
        var out: [Entry] = []
        walk(root, prefix: "", into: &out)
        return out
    }

    private static func walk(_ dir: String, prefix: String, into out: inout [Entry]) {
        for name in FileSystem.list(dir).sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let rel = prefix.isEmpty ? name : prefix + "/" + name
            if isExcluded(rel, name: name) { continue }
            let full = dir + "/" + name
            var st = stat()
            guard lstat(full, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                out.append(Entry(path: rel, kind: .directory))
                walk(full, prefix: rel, into: &out)
            case S_IFREG:
                out.append(Entry(path: rel, kind: .file(executable: st.st_mode & 0o100 != 0)))
            case S_IFLNK:
                var buf = [CChar](repeating: 0, count: 4096)
                let n = readlink(full, &buf, buf.count - 1)
                let target = n > 0 ? String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
                out.append(Entry(path: rel, kind: .symlink(target)))
            default: continue
            }
        }
    }

    /// SHA-256 over the folder's content: each entry's relative path, kind and bytes, in sorted order.
    /// `manifest.json` at the top is hashed without its `sha256` key, so writing the digest into the
    /// manifest does not change it.
    public static func digest(_ root: String) throws(FileSystemError) -> String {
        var h = SHA256()
        for e in walk(root) {
            h.update(e.path)
            h.update([0])
            switch e.kind {
            case .directory: h.update([UInt8(ascii: "d"), 0])
            case .symlink(let t):
                h.update([UInt8(ascii: "l"), 0])
                h.update(t)
                h.update([0])
            case .file(let exec):
                var bytes = try FileSystem.read(root + "/" + e.path)
                if e.path == ModuleManifest.fileName, let m = try? JSONValue(parsing: bytes), case .object(var o) = m {
                    o["sha256"] = nil
                    bytes = Array(JSONValue.object(o).serialized.utf8)
                }
                h.update([exec ? UInt8(ascii: "x") : UInt8(ascii: "f"), 0])
                var len = UInt64(bytes.count)
                h.update(withUnsafeBytes(of: &len) { Array($0) })
                h.update(bytes)
            }
        }
        return SHA256.hexString(h.finalize())
    }

    /// Why `relative` is not a regular file inside `folder` (after resolving links), or nil when it is.
    public static func containedFileProblem(_ relative: String, in folder: String) -> String? {
        if let p = ManifestValidator.relativePathProblem(relative) { return p }
        let q = JSONValueQuote.q(relative)
        guard let root = realPath(folder) else { return "cannot resolve the module folder \(folder)" }
        guard let full = realPath(folder + "/" + relative) else { return "\(q) does not exist in \(folder)" }
        if !(full.hasPrefix(root + "/")) { return "\(q) escapes the module folder (it resolves to \(full))" }
        if FileSystem.kind(of: full) != .file { return "\(q) is not a regular file" }
        return nil
    }

    public static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    /// Copies the content of `src` (see `walk`) into a new directory `dst`. Symbolic links are refused
    /// unless they stay inside the tree. With `hardLink`, files are linked instead of copied when possible
    /// (used for immutable earlier versions).
    public static func copyTree(_ src: String, to dst: String, includeVersions: Bool = false, hardLink: Bool = false)
        throws(FileSystemError)
    {
        try FileSystem.ensureDirectory(dst, mode: 0o755)
        let entries = includeVersions ? walkAll(src) : walk(src)
        for e in entries {
            let from = src + "/" + e.path
            let to = dst + "/" + e.path
            switch e.kind {
            case .directory:
                if mkdir(to, 0o755) != 0 && errno != EEXIST { throw .io(path: to, operation: "create directory", errno: errno) }
            case .symlink(let target):
                if target.hasPrefix("/") || ManifestValidator.relativePathProblem(e.path + "/../" + target) != nil {
                    throw .io(path: from, operation: "copy a symbolic link that leaves the module folder", errno: EPERM)
                }
                if symlink(target, to) != 0 { throw .io(path: to, operation: "create symbolic link", errno: errno) }
            case .file(let exec):
                if hardLink && link(from, to) == 0 { continue }
                let bytes = try FileSystem.read(from)
                try writeFile(to, bytes, mode: exec ? 0o755 : 0o644)
            }
        }
    }

    /// Like `walk` but keeping `versions/` (caches still skipped).
    static func walkAll(_ root: String) -> [Entry] {
        var out = walk(root)
        if FileSystem.kind(of: root + "/versions") == .directory {
            out.append(Entry(path: "versions", kind: .directory))
            for e in walk(root + "/versions") { out.append(Entry(path: "versions/" + e.path, kind: e.kind)) }
        }
        return out
    }

    static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(FileSystemError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(path: path, operation: "create", errno: errno) }
        defer { close(fd) }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress! + off, raw.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", errno: errno)
            }
            off += n
        }
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
