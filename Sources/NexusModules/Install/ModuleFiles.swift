import NexusCore
import NexusCrypto
import NexusPOSIX
import NexusStore

/// File-tree operations a module install needs beyond `FileSystem`: walking a folder in a stable order,
/// its content digest, and copying trees — all without following a symbolic link at any step.
///
/// The digest covers every entry of the folder: dotfiles, `__pycache__`, anything a module could have
/// written. Symbolic links are hashed as links (their target text), never followed; a copy keeps a
/// link only when it stays inside the tree. FIFOs, sockets and devices are hashed as "other" and
/// refused by a copy. Reads go through `DirectoryHandle` (`openat` + `O_NOFOLLOW` + `fstat`), so a
/// running module that swaps a file or a directory for a link to `~/.ssh/id_ed25519` mid-read gets
/// an error, not the file.
public enum ModuleFiles {
    /// What a walk includes. A pinned (installed or built-in) folder is read `.everything`; a source
    /// folder being installed is read `.withoutCaches`: its Python caches are not copied in.
    public enum Scope: Sendable {
        case everything, withoutCaches
        /// What pins written before every file was hashed covered: no caches, no `.nexus-*` names, no
        /// top-level `versions/`, no FIFOs or devices. Only `ModulePin` uses it, to recognise such a pin.
        case legacyPin
    }

    /// Python's cache directories: never part of what a person approves.
    public static func isCache(_ name: String) -> Bool { name == "__pycache__" || name == ".pytest_cache" }

    /// Largest single file hashed or copied.
    static let fileLimit = 1 << 30

    public static func read(_ path: String, limit: Int = 64 << 20) throws(FileSystemError) -> [UInt8] {
        try FileSystem.read(path, limit: limit)
    }

    /// One entry of a walked tree, relative to its root.
    public struct Entry: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case file(executable: Bool)
            case directory
            case symlink(String)
            case other
        }
        public var path: String
        public var kind: Kind
    }

    /// Calls `body` for every entry under `root`, directories before their children, sorted by bytes so
    /// the digest does not depend on the file system. `body` gets the open directory holding the entry
    /// and the entry's own name in it, to open the file without resolving any path again.
    static func visit(
        _ root: String, scope: Scope,
        _ body: (Entry, DirectoryHandle, String) throws(FileSystemError) -> Void
    ) throws(FileSystemError) {
        let dir: DirectoryHandle
        do {
            dir = try DirectoryHandle(path: root, followingLink: true)
        } catch {
            throw failure(error, root, "open the module folder")
        }
        try visit(dir, prefix: "", scope: scope, body)
    }

    private static func visit(
        _ dir: DirectoryHandle, prefix: String, scope: Scope,
        _ body: (Entry, DirectoryHandle, String) throws(FileSystemError) -> Void
    ) throws(FileSystemError) {
        for name in dir.names() {
            if scope != .everything && isCache(name) { continue }
            let rel = prefix.isEmpty ? name : prefix + "/" + name
            if scope == .legacyPin && (name.hasPrefix(".nexus-") || rel == "versions") { continue }
            guard let kind = dir.kind(of: name) else { continue }  // removed while walking
            if scope == .legacyPin && kind == .other { continue }
            switch kind {
            case .directory:
                try body(Entry(path: rel, kind: .directory), dir, name)
                let sub: DirectoryHandle
                do {
                    sub = try DirectoryHandle(in: dir, name: name)
                } catch {
                    throw failure(error, rel, "open the directory")
                }
                try visit(sub, prefix: rel, scope: scope, body)
            case .file(let exec): try body(Entry(path: rel, kind: .file(executable: exec)), dir, name)
            case .symlink: try body(Entry(path: rel, kind: .symlink(dir.linkTarget(name) ?? "")), dir, name)
            case .other: try body(Entry(path: rel, kind: .other), dir, name)
            }
        }
    }

    /// The bytes of every regular file under `root` in all, and the largest file with its size, read from the
    /// directory entries (nothing is opened). An unreadable tree counts as far as it can be walked.
    public static func size(_ root: String, scope: Scope = .everything) -> (
        bytes: Int, largest: String, largestBytes: Int
    ) {
        var total = 0
        var largest = ("", 0)
        try? visit(root, scope: scope) { e, dir, name in
            guard case .file = e.kind, let n = dir.size(of: name) else { return }
            total += n
            if n > largest.1 { largest = (e.path, n) }
        }
        return (total, largest.0, largest.1)
    }

    /// Every entry under `root` (see `visit`).
    public static func walk(_ root: String, scope: Scope = .everything) -> [Entry] {
        var out: [Entry] = []
        try? visit(root, scope: scope) { e, _, _ in out.append(e) }  // an unreadable tree walks as far as it can
        return out
    }

    /// SHA-256 over the folder's content: each entry's relative path, kind and bytes, in sorted order,
    /// each file streamed in chunks. `manifest.json` at the top is hashed without its `sha256` key, so
    /// writing the digest into the manifest does not change it.
    public static func digest(_ root: String, scope: Scope = .everything) throws(FileSystemError) -> String {
        var h = SHA256()
        try visit(root, scope: scope) { (e, dir, name) throws(FileSystemError) in
            h.update(e.path)
            h.update([0])
            switch e.kind {
            case .directory: h.update([UInt8(ascii: "d"), 0])
            case .other: h.update([UInt8(ascii: "o"), 0])
            case .symlink(let t):
                h.update([UInt8(ascii: "l"), 0])
                h.update(t)
                h.update([0])
            case .file(let exec):
                h.update([exec ? UInt8(ascii: "x") : UInt8(ascii: "f"), 0])
                if e.path == ModuleManifest.fileName {
                    var bytes = try readFile(dir, name, e.path, limit: 1 << 20)
                    // A manifest that is not JSON is hashed exactly as it is.
                    if let m = try? JSONValue(parsing: bytes), case .object(var o) = m {
                        o["sha256"] = nil
                        bytes = Array(JSONValue.object(o).serialized.utf8)
                    }
                    var len = UInt64(bytes.count).littleEndian
                    h.update(withUnsafeBytes(of: &len) { Array($0) })
                    h.update(bytes)
                    return
                }
                do throws(DirectoryHandle.Failure) {
                    try dir.readRegularFile(
                        name, limit: fileLimit,
                        size: { size in
                            var len = UInt64(size).littleEndian
                            h.update(withUnsafeBytes(of: &len) { Array($0) })
                        }, chunk: { h.update($0) })
                } catch {
                    throw failure(error, root + "/" + e.path, "read")
                }
            }
        }
        return SHA256.hexString(h.finalize())
    }

    static func readFile(_ dir: DirectoryHandle, _ name: String, _ path: String, limit: Int) throws(FileSystemError)
        -> [UInt8]
    {
        do {
            return try dir.readRegularFile(name, limit: limit)
        } catch {
            throw failure(error, path, "read")
        }
    }

    static func failure(_ error: DirectoryHandle.Failure, _ path: String, _ operation: String) -> FileSystemError {
        switch error {
        case .open(let e): .io(path: path, operation: operation + " (symbolic links are not followed)", errno: e)
        case .read(let e): .io(path: path, operation: operation, errno: e)
        case .notRegular:
            .io(path: path, operation: operation + ": not a regular file", errno: SystemError.invalidArgument)
        case .changedWhileRead:
            .io(path: path, operation: operation + ": it changed while being read", errno: SystemError.tryAgain)
        case .tooLarge(let l): .tooLarge(path, limit: l)
        }
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

    public static func realPath(_ p: String) -> String? { FileSystem.realPath(p) }
}
