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
