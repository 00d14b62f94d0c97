#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM as something to wait for: `nexus serve` runs until one arrives, then stops in order.
///
/// The handler only writes the signal's number to a close-on-exec pipe (all a handler may safely do); a
/// thread of its own waits on the pipe, so no task of the cooperative pool blocks.
public enum StopSignals {
    nonisolated(unsafe) private static var writeFD: Int32 = -1
    nonisolated(unsafe) private static var readFD: Int32 = -1
    private static let installed: Bool = {
        guard let fds = GNULibC.cloexecPipe() else { return false }
        readFD = fds[0]
        writeFD = fds[1]
        for s in [SIGINT, SIGTERM] {
            signal(s) { sig in
                var b = UInt8(truncatingIfNeeded: sig)
                _ = write(StopSignals.writeFD, &b, 1)
            }
        }
        return true
    }()

    /// Installs the handlers (once) and returns the number of the first of SIGINT or SIGTERM to arrive.
    /// Returns at once with SIGTERM when no pipe can be made (rather than never).
    public static func next() async -> Int32 {
        guard installed else { return SIGTERM }
        let fd = readFD
        return await DetachedThread.run {
            var b: UInt8 = 0
            while true {
                let n = read(fd, &b, 1)
                if n == 1 { return Int32(b) }
                if n < 0 && errno == EINTR { continue }
                return SIGTERM
            }
        }
    }
}
