import NexusPOSIX
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the terminal recoverable whatever happens: saves its mode before curses starts, turns
/// SIGWINCH and SIGTERM/SIGHUP into wake-ups for the render thread, and on a crash signal restores
/// the saved mode and leaves the alternate screen before the process dies.
enum TerminalGuard {
    static let wakeFD = Atomic<Int32>(-1)
    static let resized = Atomic<Bool>(false)
    /// The terminating signal received, 0 when none.
    static let terminated = Atomic<Int32>(0)
    nonisolated(unsafe) static var saved = termios()
    nonisolated(unsafe) static var hasSaved = false

    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]
    /// Ctrl-C is a key in raw mode, so a SIGINT or SIGQUIT can only come from outside: treated
    /// like SIGTERM (orderly exit, terminal restored).
    static let stopSignals: [Int32] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT]

    /// What a crash handler writes: mouse and paste off, cursor on, attributes reset, main screen.
    static let resetSequence: [UInt8] = Array(
        "\u{1B}[?2004l\u{1B}[?1006l\u{1B}[?1000l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n".utf8)

    /// Saves the terminal mode and installs the handlers. Call before curses starts.
    static func install(wake: WakePipe) {
        wakeFD.store(wake.writeFD, ordering: .relaxed)
        resized.store(false, ordering: .relaxed)
        terminated.store(0, ordering: .relaxed)
        hasSaved = tcgetattr(0, &saved) == 0
        signal(SIGWINCH) { _ in
            TerminalGuard.resized.store(true, ordering: .relaxed)
            TerminalGuard.poke()
        }
        for s in stopSignals {
            signal(s) { sig in
                TerminalGuard.terminated.store(sig, ordering: .relaxed)
                TerminalGuard.poke()
            }
        }
        for s in crashSignals {
            signal(s) { sig in
                TerminalGuard.restoreFromSignal()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    /// Async-signal-safe: one byte into the wake pipe.
    static func poke() {
        let fd = wakeFD.load(ordering: .relaxed)
        guard fd >= 0 else { return }
        var b: UInt8 = 1
        _ = write(fd, &b, 1)
    }

    /// Async-signal-safe restore: raw `write` and `tcsetattr` only.
    static func restoreFromSignal() {
        resetSequence.withUnsafeBufferPointer { p in _ = write(1, p.baseAddress, p.count) }
        if hasSaved { _ = tcsetattr(0, TCSANOW, &saved) }
    }

    /// After a clean `endwin`: puts back the exact saved mode and the default handlers.
    static func uninstall() {
        if hasSaved { _ = tcsetattr(0, TCSADRAIN, &saved) }
        signal(SIGWINCH, SIG_DFL)
        for s in stopSignals + crashSignals { signal(s, SIG_DFL) }
        wakeFD.store(-1, ordering: .relaxed)
    }
}
