#if canImport(Glibc)
    import Glibc
#endif

/// A directory opened without following symbolic links, whose entries are examined and opened relative
/// to it (`fstatat`, `openat`, `readlinkat` with `O_NOFOLLOW`).
///
/// It exists for trees another process may be changing while nexus reads them (a running module's
/// folder during an upgrade): checking a path with `lstat` and then opening it by name lets the entry
/// be swapped for a symbolic link in between. Here no step resolves a link — not the last component,
/// not a parent directory — and each opened file is checked with `fstat` on the descriptor itself.
public final class DirectoryHandle {
    public let fd: Int32

    /// What one entry is, as `fstatat(AT_SYMLINK_NOFOLLOW)` saw it.
    public enum EntryKind: Sendable, Equatable {
        case file(executable: Bool)
        case directory, symlink, other
    }

    /// Why an entry could not be read; `errno` values as the kernel gave them.
    public enum Failure: Error, Sendable, Equatable {
        case open(errno: Int32)
        /// The entry is not a regular file once opened (a FIFO, a device, a socket, or it was swapped).
        case notRegular
        case read(errno: Int32)
        case tooLarge(limit: Int)
        /// The file's size changed while it was read (someone is writing it).
        case changedWhileRead
    }

    /// Opens `path` as a directory; unless `followingLink`, fails (ELOOP/ENOTDIR) when its last
    /// component is a symbolic link.
    public init(path: String, followingLink: Bool = false) throws(Failure) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followingLink ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { throw .open(errno: errno) }
        self.fd = fd
    }

    /// Opens the subdirectory `name` of this one, refusing a symbolic link.
    public init(in parent: DirectoryHandle, name: String) throws(Failure) {
        let fd = openat(parent.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .open(errno: errno) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Entry names except `.` and `..`, sorted by bytes.
    public func names() -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let dir = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return []
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The kind of entry `name` (not following a link), or nil when it is gone.
    public func kind(of name: String) -> EntryKind? {
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file(executable: st.st_mode & 0o100 != 0)
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// The size in bytes of entry `name` (not following a link), or nil when it is gone.
    public func size(of name: String) -> Int? {
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return Int(st.st_size)
    }

    /// The target text of the symbolic link `name`, or nil when it is not one.
    public func linkTarget(_ name: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4097)
        let n = readlinkat(fd, name, &buf, buf.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Opens the regular file `name` for reading: `O_NOFOLLOW` refuses a link, `O_NONBLOCK` keeps a
    /// FIFO from hanging the open, and `fstat` on the descriptor confirms a regular file. The caller
    /// closes the descriptor.
    public func openRegularFile(_ name: String) throws(Failure) -> Int32 {
        let fd = openat(self.fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .open(errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .notRegular
        }
        return fd
    }

    /// Reads the regular file `name` in chunks of up to 64 KiB, handing each to `chunk` after telling
    /// `size` how many bytes `fstat` saw; at most `limit` bytes. Ends with `changedWhileRead` when the
    /// bytes read differ from that size, so a digest never mixes two versions of a file.
    public func readRegularFile(
        _ name: String, limit: Int, size: (Int) -> Void = { _ in }, chunk: (UnsafeRawBufferPointer) -> Void
    ) throws(Failure) {
        let fd = try openRegularFile(name)
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .read(errno: errno) }
        let expected = Int(st.st_size)
        if expected > limit { throw .tooLarge(limit: limit) }
        size(expected)
        var buf = [UInt8](repeating: 0, count: 65_536)
        var total = 0
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .read(errno: errno)
            }
            if n == 0 { break }
            total += n
            if total > expected { throw .changedWhileRead }
            buf.withUnsafeBytes { chunk(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        if total != expected { throw .changedWhileRead }
    }

    /// The whole regular file `name` (see `readRegularFile`).
    public func readRegularFile(_ name: String, limit: Int) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        try readRegularFile(name, limit: limit, chunk: { out.append(contentsOf: $0) })
        return out
    }
}
