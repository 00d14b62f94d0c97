#if canImport(Glibc)
    import Glibc
#endif

/// Whole reads and writes on a file descriptor, retrying short counts and EINTR: the loop every file,
/// pipe and socket caller needs, written once.
public enum Descriptor {
    /// Writes every byte of `bytes`; false when a write fails (the reason is in errno).
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return write(fd, base + off, raw.count - off)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            off += n
        }
        return true
    }

    /// One read into `buffer` (retrying EINTR): the count read, 0 at end of input, -1 on an error (errno).
    public static func read(_ fd: Int32, into buffer: inout [UInt8]) -> Int {
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    /// Keeps descriptors 0–2 taken when the process starts with one closed: each closed one becomes
    /// /dev/null opened read-only (reads end at once, writes fail with EBADF as before), so the next file
    /// the process opens never becomes "stdout". Call first thing.
    public static func holdClosedStandardDescriptors() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
            if null >= 0, null != fd {
                _ = dup2(null, fd)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                Glibc.close(null)
            }
        }
    }

    /// Opens `path` for appending, creating it with `mode`; -1 when it cannot (the reason is in errno).
    public static func openForAppend(_ path: String, mode: mode_t = 0o600) -> Int32 {
        open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode)
    }

    /// The size of the file open on `fd`, nil when it cannot be examined.
    public static func size(_ fd: Int32) -> Int? {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : nil
    }

    /// Whether `fd` has bytes (or end of input, or an error) to read within `timeoutMs` (-1 = forever).
    public static func isReadable(_ fd: Int32, timeoutMs: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, timeoutMs) > 0
    }

    /// How many bytes are waiting to be read on `fd` now (FIONREAD: a pipe's buffered bytes, what is left of a
    /// file), without reading them; 0 when none, when unknown, or for a terminal.
    public static func bytesWaiting(_ fd: Int32) -> Int {
        if isatty(fd) == 1 { return 0 }
        var n: Int32 = 0
        return ioctl(fd, UInt(FIONREAD), &n) == 0 ? Int(max(0, n)) : 0
    }

    /// Whether `fd` is a terminal (and not a pipe, file or socket).
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Closes `fd`; the result is ignored, as after close(2) fails the descriptor is gone anyway.
    public static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Everything `fd` gives until end of input or an error.
    public static func readToEnd(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                bytes += buf[0..<n]
            } else if n < 0, errno == EINTR {
                continue
            } else {
                return bytes
            }
        }
    }
}
