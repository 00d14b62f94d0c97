import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A self-pipe that wakes a thread blocked in `poll`: from other threads when state changed, and
/// from signal handlers (SIGWINCH, SIGTERM), where a `write` is all that is safe to do.
public final class WakePipe: Sendable {
    public let readFD: Int32
    public let writeFD: Int32
    private let pending = Atomic<Bool>(false)

    public init?() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        readFD = fds[0]
        writeFD = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    /// Wakes the reader; several wakes before it reads cost one byte.
    public func wake() {
        if pending.exchange(true, ordering: .acquiringAndReleasing) { return }
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }

    /// Empties the pipe; the next `wake` writes again.
    public func drain() {
        pending.store(false, ordering: .releasing)
        var buf = [UInt8](repeating: 0, count: 64)
        while read(readFD, &buf, 64) > 0 {}
    }

    /// Blocks until woken or `timeoutMs` passed (-1 = forever). True when woken.
    @discardableResult
    public func wait(timeoutMs: Int32) -> Bool {
        var p = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        let r = poll(&p, 1, timeoutMs)
        return r > 0
    }

    public func close() {
        _ = Glibc.close(readFD)
        _ = Glibc.close(writeFD)
    }

    /// What `waitForInput` saw.
    public enum Readiness: Sendable, Equatable {
        /// `fd` has bytes (or end of input) to read.
        case readable
        /// `fd` hung up or is in error.
        case hungUp
        /// This pipe was woken: stop waiting.
        case woken
        /// Nothing within the timeout.
        case timedOut
    }

    /// Blocks until `fd` is readable, this pipe is woken, or `timeoutMs` passed (-1 = forever); retries
    /// interrupted waits. A failed poll reads as `.hungUp`.
    public func waitForInput(on fd: Int32, timeoutMs: Int32) -> Readiness {
        var fds = [
            pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: readFD, events: Int16(POLLIN), revents: 0),
        ]
        var r: Int32
        repeat { r = poll(&fds, 2, timeoutMs) } while r < 0 && errno == EINTR
        if r < 0 { return .hungUp }
        if fds[1].revents != 0 { return .woken }
        if r == 0 { return .timedOut }
        if fds[0].revents & Int16(POLLIN) != 0 { return .readable }
        return .hungUp
    }
}
