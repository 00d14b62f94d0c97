#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT (Ctrl-C) as something a thread can wait for, for line mode: the handler is in place when
/// `catchInterrupts` returns (a dispatch signal source registers later, on its own thread, so a Ctrl-C typed
/// at once could be lost or kill the process), it only writes a byte to a close-on-exec pipe (all a handler
/// may safely do), and it restarts interrupted reads (`signal` has BSD semantics in glibc), so a line editor
/// waiting for a key keeps waiting.
public enum InterruptSignal {
    nonisolated(unsafe) private static var writeFD: Int32 = -1
    nonisolated(unsafe) private static var readFD: Int32 = -1
    private static let pipeReady: Bool = {
        guard let fds = GNULibC.cloexecPipe() else { return false }
        readFD = fds[0]
        writeFD = fds[1]
        return true
    }()

    /// Installs the handler; false when no pipe could be made (SIGINT keeps its action).
    @discardableResult
    public static func catchInterrupts() -> Bool {
        guard pipeReady else { return false }
        signal(SIGINT) { _ in
            var b: UInt8 = 1
            _ = write(InterruptSignal.writeFD, &b, 1)
        }
        return true
    }

    /// Blocks until the next SIGINT (true) or `wake()` (false).
    public static func waitForNext() -> Bool {
        guard pipeReady else { return false }
        var b: UInt8 = 0
        while true {
            let n = read(readFD, &b, 1)
            if n == 1 { return b == 1 }
            if n < 0 && errno == EINTR { continue }
            return false
        }
    }

    /// Ends one `waitForNext` with false.
    public static func wake() {
        guard pipeReady else { return }
        var b: UInt8 = 0
        _ = write(writeFD, &b, 1)
    }
}
