import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// A real pipe standing in for stdout, stderr or stdin in line-mode tests.
final class PipeCapture {
    let readEnd: Int32
    private(set) var writeEnd: Int32

    init() {
        let fds = GNULibC.cloexecPipe() ?? [-1, -1]
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    /// Writes `bytes` into the pipe (as a producer piping into nexus would).
    func feed(_ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            off += n
        }
    }

    func closeWriteEnd() {
        if writeEnd >= 0 { close(writeEnd) }
        writeEnd = -1
    }

    /// Closes the write end and returns everything written.
    func drain() -> String {
        closeWriteEnd()
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    deinit {
        closeWriteEnd()
        close(readEnd)
    }
}
