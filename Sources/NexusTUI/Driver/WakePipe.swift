import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A self-pipe that wakes a thread blocked in `poll`: from other threads when state changed, and
/// from signal handlers (SIGWINCH, SIGTERM), where a `write` is all that is safe to do.
final class WakePipe: Sendable {
    let readFD: Int32
    let writeFD: Int32
    private let pending = Atomic<Bool>(false)

    init?() {
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
    func wake() {
        if pending.exchange(true, ordering: .acquiringAndReleasing) { return }
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }

    /// Empties the pipe; the next `wake` writes again.
    func drain() {
        pending.store(false, ordering: .releasing)
        var buf = [UInt8](repeating: 0, count: 64)
        while read(readFD, &buf, 64) > 0 {}
    }

    /// Blocks until woken or `timeoutMs` passed (-1 = forever). True when woken.
    @discardableResult
    func wait(timeoutMs: Int32) -> Bool {
        var p = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        let r = poll(&p, 1, timeoutMs)
        return r > 0
    }

    func close() {
        _ = Glibc.close(readFD)
        _ = Glibc.close(writeFD)
    }
}
