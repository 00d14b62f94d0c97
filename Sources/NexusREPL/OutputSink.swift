import NexusCore
import NexusPOSIX
import Synchronization

/// Unbuffered writes to stdout/stderr: the one place line mode's text reaches a descriptor.
///
/// - A reader that went away (`| head`, EPIPE) ends the process quietly with status 0, as DESIGN §4.1
///   asks, instead of dying by SIGPIPE or spamming errors.
/// - Any other failure (a full disk, a closed descriptor, EIO) is kept in `failure` and later writes are
///   skipped; line mode then says so once, starts no more turns and exits 1, so no answer is lost silently.
/// - On a terminal, text is shown through `TerminalText.escapingControls`: control sequences from a model
///   or a server are made visible, never obeyed. Our own styling goes through `write(_:style:)`.
public struct OutputSink: Sendable {
    public let fd: Int32
    /// Whether `fd` was a terminal when the sink was made (checked once: tokens are written one by one).
    public let isTerminal: Bool
    private let failed: FailureRecord

    public init(fd: Int32) {
        self.fd = fd
        self.isTerminal = Descriptor.isTerminal(fd)
        self.failed = FailureRecord()
    }

    public static let stdout = OutputSink(fd: 1)
    public static let stderr = OutputSink(fd: 2)

    /// SGR attributes line mode uses for its own notes.
    public enum Style: String, Sendable {
        case bold = "1"
        case dim = "2"
        case red = "31"
        case yellow = "33"
    }

    /// Writes `s`, made safe first when the sink is a terminal.
    public func write(_ s: String) {
        writeBytes(isTerminal ? TerminalText.escapingControls(s) : s)
    }

    /// Writes `s` in `style` (plain when nil); a trailing newline goes after the reset, so the next line
    /// starts unstyled. Only the style's own escape codes reach the terminal.
    public func write(_ s: String, style: Style?) {
        guard let style else { return write(s) }
        let newline = s.hasSuffix("\n")
        let body = newline ? String(s.dropLast()) : s
        let safe = isTerminal ? TerminalText.escapingControls(body) : body
        writeBytes("\u{1B}[\(style.rawValue)m" + safe + "\u{1B}[0m" + (newline ? "\n" : ""))
    }

    /// The first write that failed for a reason other than a departed reader; nil while all is well.
    public var failure: WriteFailure? {
        let e = failed.errno.load(ordering: .acquiring)
        return e == 0 ? nil : WriteFailure(fd: fd, errno: e)
    }

    private func writeBytes(_ s: String) {
        if failed.errno.load(ordering: .relaxed) != 0 { return }
        guard !Descriptor.writeAll(fd, Array(s.utf8)) else { return }
        let e = SystemError.current
        if e == SystemError.brokenPipe { ProcessControl.exitImmediately(0) }  // the reader left: stop quietly
        _ = failed.errno.compareExchange(expected: 0, desired: e, ordering: .releasing)
    }

    /// Keeps descriptors 0–2 taken when nexus starts with one closed (`nexus -p x >&-`). Otherwise the next
    /// descriptor the process opens (the runtime's eventfd, the database) becomes "stdout" and receives the
    /// answer. The stand-in is /dev/null opened read-only: a closed stdin reads as end of input, and writes to
    /// a closed stdout or stderr still fail with EBADF, so they are reported as before. Call first thing.
    public static func holdClosedStandardDescriptors() {
        Descriptor.holdClosedStandardDescriptors()
    }
}

/// Why a sink stopped writing: which stream, and the system's reason.
public struct WriteFailure: Sendable, Equatable {
    public let fd: Int32
    public let errno: Int32

    /// One line for stderr: `cannot write to standard output: No space left on device`.
    public var message: String {
        let stream =
            switch fd {
            case 1: "standard output"
            case 2: "standard error"
            default: "file descriptor \(fd)"
            }
        return "cannot write to \(stream): \(SystemError.text(errno))"
    }
}

/// The errno of a sink's first failed write (0 for none), shared by every copy of the sink.
final class FailureRecord: Sendable {
    let errno = Atomic<Int32>(0)
}
