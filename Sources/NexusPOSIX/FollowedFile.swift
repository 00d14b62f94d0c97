#if canImport(Glibc)
    import Glibc
#endif

/// Which file a path names (device and inode): a log that was rotated or replaced has a new identity even
/// when its path stays the same.
public struct FileIdentity: Sendable, Equatable {
    public let device: UInt64
    public let inode: UInt64

    /// The identity of the file at `path` (following links), nil when there is none.
    public static func of(_ path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// The identity of the file open on `fd`, nil when it cannot be examined.
    public static func of(descriptor fd: Int32) -> FileIdentity? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }
}

/// A regular file kept open to read what is appended to it, at offsets the reader keeps (a log follower).
///
/// Opened non-blocking and refused unless it is a regular file, so a FIFO or device planted at the path
/// can never stall the reader; reads are `pread`, so nothing depends on a shared file position. The
/// descriptor closes when the value goes.
public final class FollowedFile {
    private let fd: Int32
    public let identity: FileIdentity

    /// Opens `path` for reading; nil when it is missing, unreadable or not a regular file.
    public init?(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
        identity = FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    deinit { Glibc.close(fd) }

    /// The file's current size, nil when it cannot be examined.
    public var size: Int? {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : nil
    }

    /// Up to `count` bytes from `offset` (fewer at the end of the file); nil on a read error.
    public func read(at offset: Int, count: Int) -> [UInt8]? {
        guard count > 0, offset >= 0 else { return [] }
        var buf = [UInt8](repeating: 0, count: count)
        while true {
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            return n == count ? buf : Array(buf[0..<n])
        }
    }
}
