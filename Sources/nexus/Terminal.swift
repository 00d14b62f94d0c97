import NexusCore
import NexusPOSIX
import Synchronization

/// Writing to stdout/stderr from the composition root: unbuffered, quiet when the reader went away, and
/// remembering any other failed write to stdout (a full disk, a closed descriptor) so the command can end
/// with status 1 instead of 0 after losing its output (`finish`).
enum Terminal {
    /// errno of the first failed write to stdout other than EPIPE; 0 while all is well.
    static let stdoutErrno = Atomic<Int32>(0)

    static func out(_ s: String) { write(1, s) }
    static func err(_ s: String) { write(2, s) }
    static func warn(_ s: String) { write(2, "nexus: warning: \(s)\n") }

    /// Whether stdout and stderr are terminals, checked once: text bound for a terminal has its control
    /// characters made visible (`TerminalText`), since it may quote a module, a model or a server.
    static let isTerminal: [Bool] = [Descriptor.isTerminal(1), Descriptor.isTerminal(2)]

    static func write(_ fd: Int32, _ s: String) {
        var s = (fd == 1 || fd == 2) && isTerminal[Int(fd) - 1] ? TerminalText.escapingControls(s) : s
        guard !Descriptor.writeAll(fd, Array(s.utf8)) else { return }
        let e = SystemError.current
        if e == SystemError.brokenPipe { ProcessControl.exit(0) }  // `nexus ... | head`: the reader left
        if fd == 1 { _ = stdoutErrno.compareExchange(expected: 0, desired: e, ordering: .relaxed) }
    }

    /// Ends the process with `code`; when stdout lost output, says so in one line and never ends with 0.
    static func finish(_ code: Int32) -> Never {
        let e = stdoutErrno.load(ordering: .relaxed)
        guard e != 0 else { ProcessControl.exit(code) }
        err("nexus: cannot write to standard output: \(SystemError.text(e))\n")
        ProcessControl.exit(code == 0 ? ExitStatus.failure.rawValue : code)
    }

    static var stdinIsTTY: Bool { Descriptor.isTerminal(0) }
    static var stdoutIsTTY: Bool { Descriptor.isTerminal(1) }

    /// Prints a user-facing error as one line (plus hint) and returns its exit status.
    static func report(_ error: any Error) -> Int32 {
        if let e = error as? any UserFacingError {
            err("nexus: \(e.userMessage)\n")
            if let h = e.hint { err("  hint: \(h)\n") }
            return e.exitCode.rawValue
        }
        err("nexus: \(error)\n")
        return ExitStatus.failure.rawValue
    }
}
