import NexusCore

#if canImport(Glibc)
    import Glibc
#endif

/// The file operations every layer above needs, done the safe way: directories with explicit modes,
/// whole-file reads with a size cap, and atomic writes (temp file + fsync + rename, DESIGN §2.6).
///
/// It lives in NexusPOSIX, beside descriptors, threads and processes, so that the store, modules, vault,
/// evolution and the command line all call one implementation instead of `open`/`write`/`rename` loops.
public enum FileSystem {
    public enum Kind: Sendable, Equatable { case missing, file, directory, other }

    /// What is at `path`, following symlinks. Only "nothing there" is `.missing`; a path that cannot be
    /// examined (a symlink loop, no permission) is `.other`, so opening it reports the real reason.
    public static func kind(of path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return errno == ENOENT || errno == ENOTDIR ? .missing : .other }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    public static func exists(_ path: String) -> Bool { kind(of: path) != .missing }

    /// Permission bits of `path` (e.g. 0o600), or nil when it cannot be stat'ed.
    public static func mode(of path: String) -> mode_t? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return st.st_mode & 0o7777
    }

    /// Creates `path` and its missing parents; new directories get `mode`. An existing non-directory is an error.
    public static func ensureDirectory(_ path: String, mode: mode_t = 0o700) throws(FileSystemError) {
        switch kind(of: path) {
        case .directory: return
        case .file, .other: throw .notADirectory(path)
        case .missing: break
        }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try ensureDirectory(String(path[..<slash]), mode: mode)
        }
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw .io(path: path, operation: "create directory", errno: errno)
        }
    }

    /// How long `read` waits for a pipe or device to produce bytes (`--config <(…)` works; a FIFO
    /// nobody writes to must not hang every command).
    public static let streamWait: Double = 10

    /// Reads a whole file; refuses files larger than `limit` bytes. A pipe or device is read until its end,
    /// waiting up to `wait` seconds for bytes; one that stays silent, or ends before any byte, is an error.
    public static func read(_ path: String, limit: Int = 64 << 20, wait: Double = streamWait) throws(FileSystemError)
        -> [UInt8]
    {
        if kind(of: path) == .directory { throw .isADirectory(path) }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw errno == ENOENT ? .missing(path) : .io(path: path, operation: "open", errno: errno)
        }
        defer { close(fd) }
        var st = stat()
        let type = fstat(fd, &st) == 0 ? st.st_mode & S_IFMT : S_IFREG
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        var waited = false
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                guard errno == EAGAIN, type != S_IFREG else { throw .io(path: path, operation: "read", errno: errno) }
                try waitForBytes(fd, path: path, seconds: wait)
                waited = true
                continue
            }
            if n == 0 {
                // A FIFO nobody has opened for writing yet reads as ended: give a writer the same wait once.
                guard type == S_IFIFO, out.isEmpty else { break }
                if waited { throw .silentPipe(path) }
                try waitForBytes(fd, path: path, seconds: wait)
                waited = true
                continue
            }
            out.append(contentsOf: buf[0..<n])
            if out.count > limit { throw .tooLarge(path, limit: limit) }
        }
        return out
    }

    private static func waitForBytes(_ fd: Int32, path: String, seconds: Double) throws(FileSystemError) {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var ready: Int32
        repeat {
            ready = poll(&p, 1, Int32(clamping: Seconds.milliseconds(seconds)))
        } while ready < 0 && errno == EINTR
        if ready == 0 { throw .silentPipe(path) }
        if ready < 0 { throw .io(path: path, operation: "wait for", errno: errno) }
    }

    public static func readText(_ path: String, limit: Int = 64 << 20) throws(FileSystemError) -> String {
        String(decoding: try read(path, limit: limit), as: UTF8.self)
    }

    /// Writes `bytes` to a temp file beside `path`, fsyncs it and renames it over `path`.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(FileSystemError) {
        let tmp = path + ".tmp-\(getpid())-\(MonotonicClock.nanoseconds())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(path: tmp, operation: "create", errno: errno) }
        guard Descriptor.writeAll(fd, bytes) else {
            let e = errno
            close(fd)
            unlink(tmp)
            throw .io(path: tmp, operation: "write", errno: e)
        }
        fsync(fd)
        close(fd)
        if Glibc.rename(tmp, path) != 0 {
            let e = errno
            unlink(tmp)
            throw .io(path: path, operation: "rename", errno: e)
        }
    }

    public static func writeAtomically(_ path: String, text: String, mode: mode_t = 0o644) throws(FileSystemError) {
        try writeAtomically(path, Array(text.utf8), mode: mode)
    }

    /// Appends `bytes` to `path`, creating it with `mode`; returns whether the file was empty before.
    @discardableResult
    public static func append(
        _ path: String, mode: mode_t = 0o600, _ bytes: (_ wasEmpty: Bool) -> [UInt8]
    ) throws(FileSystemError) -> Bool {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var st = stat()
        let wasEmpty = fstat(fd, &st) == 0 && st.st_size == 0
        guard Descriptor.writeAll(fd, bytes(wasEmpty)) else {
            throw .io(path: path, operation: "append to", errno: errno)
        }
        return wasEmpty
    }

    /// Removes the file `path`; true when it is gone (removed now, or was not there).
    @discardableResult
    public static func remove(_ path: String) -> Bool { unlink(path) == 0 || errno == ENOENT }

    /// The first `count` bytes of the file `path` (fewer when it is shorter), without waiting on a pipe;
    /// nil when it cannot be opened.
    public static func readPrefix(_ path: String, count: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: count)
        let n = Descriptor.read(fd, into: &buf)
        return n < 0 ? nil : Array(buf.prefix(n))
    }

    /// The absolute path with every symbolic link resolved, nil when `path` does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    /// Removes the empty directory `path`; false when it cannot (not empty, missing, no permission).
    @discardableResult
    public static func removeEmptyDirectory(_ path: String) -> Bool { rmdir(path) == 0 }

    /// Whether `path` itself (a symbolic link is not followed) is a directory.
    public static func isDirectoryNotFollowingLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }

    /// The size in bytes of the file at `path` (following links), nil when it cannot be examined.
    public static func size(of path: String) -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    /// Renames `from` over `to` (atomically, on one file system); false when it cannot.
    @discardableResult
    public static func rename(_ from: String, to: String) -> Bool { Glibc.rename(from, to) == 0 }

    /// Whether `path` may be executed by this process.
    public static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

    /// Whether this process may read `path` (it exists and the permissions allow it).
    public static func isReadable(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// Creates the one directory `path` (its parent must exist) with `mode`.
    public static func createDirectory(_ path: String, mode: mode_t = 0o700) throws(FileSystemError) {
        guard mkdir(path, mode) == 0 else { throw .io(path: path, operation: "create directory", errno: errno) }
    }

    /// Creates a new, uniquely named directory `<parent>/<prefix>XXXXXX` (mode 0700) and returns its path.
    public static func makeUniqueDirectory(in parent: String, prefix: String) throws(FileSystemError) -> String {
        var template = Array((parent + "/" + prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buf -> Bool in
            guard let base = buf.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { throw .io(path: parent, operation: "create a directory in", errno: errno) }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Names in a directory (no `.`/`..`), sorted; empty when it does not exist.
    public static func list(_ path: String) -> [String] {
        guard let d = opendir(path) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Whether the current process may read and write (and search) the directory.
    public static func isWritableDirectory(_ path: String) -> Bool {
        kind(of: path) == .directory && access(path, R_OK | W_OK | X_OK) == 0
    }
}

/// Why a file operation failed, naming the path.
public enum FileSystemError: UserFacingError, Equatable {
    case missing(String)
    case notADirectory(String)
    case isADirectory(String)
    case tooLarge(String, limit: Int)
    case io(path: String, operation: String, errno: Int32)
    /// A FIFO or device that gave no bytes: nobody writes to it, or not within `FileSystem.streamWait`.
    case silentPipe(String)

    public var userMessage: String {
        switch self {
        case .missing(let p): "\(p): no such file"
        case .notADirectory(let p): "\(p): exists but is not a directory"
        case .isADirectory(let p): "\(p): is a directory, expected a file"
        case .tooLarge(let p, let l): "\(p): larger than \(l) bytes"
        case .io(let p, let op, let e): "\(p): cannot \(op): \(String(cString: strerror(e)))"
        case .silentPipe(let p): "\(p): a pipe or device that nothing was written to"
        }
    }

    public var hint: String? {
        switch self {
        case .io(_, _, let e) where e == EACCES || e == EPERM: "check the permissions of the path and its parents"
        case .tooLarge: "is this the file you meant? it is far bigger than any file nexus reads there"
        case .silentPipe: "point it at a regular file, or write the content into the pipe"
        default: nil
        }
    }
}
