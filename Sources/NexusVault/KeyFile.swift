import NexusPOSIX
import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

/// The vault key file in the config directory (`vault.key`, 64 hex digits and a newline, mode 0600).
///
/// Created with O_EXCL so two processes never both mint a key, refused when group or others may read
/// it (the error prints the `chmod` that fixes it), and read straight into guarded memory. Rotation
/// writes the next key beside it as `vault.key.next` and renames it over `vault.key` only after the
/// database has committed the re-encryption (see `CredentialStore+Rotation.swift`).
public struct KeyFile: Sendable, Equatable {
    public let path: String
    public var nextPath: String { path + ".next" }

    public init(path: String) {
        self.path = path
    }

    /// `vault.key` in the config directory.
    public init(configDir: String) {
        self.init(path: configDir + "/vault.key")
    }

    /// The key in `vault.key`, or nil when the file does not exist.
    public func load() throws(VaultError) -> MasterKey? { try Self.load(path) }

    /// The key in `vault.key.next`, or nil when there is none.
    public func loadNext() throws(VaultError) -> MasterKey? { try Self.load(nextPath) }

    /// Creates `vault.key` holding `key`; fails if it already exists.
    public func create(_ key: MasterKey) throws(VaultError) {
        try Self.writeExclusive(path, key)
    }

    /// Writes `vault.key.next` holding `key`, replacing a leftover from an interrupted rotation.
    public func writeNext(_ key: MasterKey) throws(VaultError) {
        if unlink(nextPath) != 0 && errno != ENOENT {
            throw .keyFileUnreadable(path: nextPath, reason: "cannot remove leftover: \(Self.errnoText())")
        }
        try Self.writeExclusive(nextPath, key)
    }

    /// Renames `vault.key.next` over `vault.key` and syncs the directory: the last step of a rotation.
    public func promoteNext() throws(VaultError) {
        guard rename(nextPath, path) == 0 else {
            throw .keyFileUnreadable(path: path, reason: "cannot rename \(nextPath) over it: \(Self.errnoText())")
        }
        Self.syncDirectory(of: path)
    }

    /// Removes `vault.key.next` (a rotation that did not commit); quiet when there is none.
    public func discardNext() {
        unlink(nextPath)
    }

    static func load(_ path: String) throws(VaultError) -> MasterKey? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .keyFileUnreadable(path: path, reason: errnoText())
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .keyFileUnreadable(path: path, reason: errnoText()) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .keyFileUnreadable(path: path, reason: "not a regular file") }
        guard st.st_mode & 0o077 == 0 else { throw .keyFileInsecure(path: path, mode: UInt32(st.st_mode & 0o777)) }
        var length = 0
        var readError: Int32 = 0
        let capacity = 256
        let text = SecureBuffer(count: capacity) { p, n in
            while length < n {
                let r = read(fd, p + length, n - length)
                if r < 0 {
                    if errno == EINTR { continue }
                    readError = errno
                    return false
                }
                if r == 0 { break }
                length += r
            }
            return true
        }
        guard let text else {
            throw .keyFileUnreadable(
                path: path, reason: readError != 0 ? String(cString: strerror(readError)) : "no memory")
        }
        guard length < capacity else { throw .badKeyEncoding(origin: path, length: length) }
        return try text.withBytes { p, _ throws(VaultError) in
            try MasterKey.parse(UnsafeRawBufferPointer(start: p, count: length), origin: path)
        }
    }

    private static func writeExclusive(_ path: String, _ key: MasterKey) throws(VaultError) {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            let dir = String(path[..<slash])
            do { try FileSystem.ensureDirectory(dir, mode: 0o700) } catch {
                throw .keyFileUnreadable(path: path, reason: error.userMessage)
            }
        }
        guard let text = key.keyFileText() else { throw .outOfSecureMemory }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .keyFileUnreadable(path: path, reason: "cannot create: \(errnoText())") }
        let ok = text.withBytes { p, n -> Bool in
            var off = 0
            while off < n {
                let w = write(fd, p + off, n - off)
                if w < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                off += w
            }
            return fsync(fd) == 0
        }
        let e = errno
        close(fd)
        guard ok else {
            unlink(path)
            throw .keyFileUnreadable(path: path, reason: "cannot write: \(String(cString: strerror(e)))")
        }
        syncDirectory(of: path)
    }

    static func syncDirectory(of path: String) {
        let dir = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
