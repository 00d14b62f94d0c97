import NexusCrypto
import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// Reads secrets from a person without showing them: from a terminal with echo off (termios), or
/// from a pipe as the whole input minus one trailing newline.
///
/// It lives in the vault so every face (the `nexus creds` commands, the REPL's `/creds`, the
/// post-install prompt) reads values the same way. Echo is restored on return and on Ctrl-C.
public enum SecretInput {
    /// Values larger than this are cut off and refused by the store's own limit check.
    static let readLimit = 1 << 21

    /// The value for `nexus creds set`: typed on a terminal (prompt on stderr, no echo), else all of stdin.
    public static func readValue(prompt: String) -> [UInt8] {
        if isatty(0) == 1 { return readLineWithoutEcho(fd: 0, prompt: prompt, promptFD: 2) ?? [] }
        return readAll(fd: 0)
    }

    /// A passphrase: from the controlling terminal when stdin carries something else (or is a
    /// terminal itself), else from stdin. Nil when there is no one to ask.
    public static func readPassphrase(prompt: String, stdinCarriesValue: Bool) -> [UInt8]? {
        if !stdinCarriesValue && isatty(0) == 1 { return readLineWithoutEcho(fd: 0, prompt: prompt, promptFD: 2) }
        if stdinCarriesValue || isatty(0) == 1 {
            let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
            guard tty >= 0 else { return nil }
            defer { close(tty) }
            return readLineWithoutEcho(fd: tty, prompt: prompt, promptFD: tty)
        }
        let all = readAll(fd: 0)
        return all.isEmpty ? nil : all
    }

    /// Everything on `fd` until end of input, minus one trailing "\n" (or "\r\n").
    public static func readAll(fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while out.count <= readLimit {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        Sodium.wipe(&buf)
        if out.last == 0x0A {
            out.removeLast()
            if out.last == 0x0D { out.removeLast() }
        }
        return out
    }

    /// One line typed on the terminal `fd` with echo off; nil at end of input.
    public static func readLineWithoutEcho(fd: Int32, prompt: String, promptFD: Int32) -> [UInt8]? {
        var saved = termios()
        let isTerminal = tcgetattr(fd, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            EchoGuard.arm(fd: fd, saved: saved)
            tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        // Prompt only once echo is off, so nothing typed in answer to it can be flushed or echoed.
        writeAll(promptFD, prompt)
        defer {
            if isTerminal {
                tcsetattr(fd, TCSAFLUSH, &saved)
                EchoGuard.disarm()
            }
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count <= readLimit {
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return line.isEmpty ? nil : line }
            if byte == 0x0A { break }
            line.append(byte)
        }
        if line.last == 0x0D { line.removeLast() }
        return line
    }

    static func writeAll(_ fd: Int32, _ s: String) { Descriptor.writeAll(fd, Array(s.utf8)) }
}

/// Restores terminal echo if the person presses Ctrl-C while a secret is being typed.
enum EchoGuard {
    nonisolated(unsafe) static var fd: Int32 = -1
    nonisolated(unsafe) static var saved = termios()
    nonisolated(unsafe) static var previous = sigaction()

    static func arm(fd: Int32, saved: termios) {
        Self.fd = fd
        Self.saved = saved
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in
            if EchoGuard.fd >= 0 { tcsetattr(EchoGuard.fd, TCSAFLUSH, &EchoGuard.saved) }
            _exit(128 + sig)
        }
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, &previous)
    }

    static func disarm() {
        sigaction(SIGINT, &previous, nil)
        fd = -1
    }
}
