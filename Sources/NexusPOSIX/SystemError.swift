#if canImport(Glibc)
    import Glibc
#endif

/// The system's words for an errno value, and the calls that set it: error messages name the reason
/// ("Permission denied") without each caller calling `strerror`.
public enum SystemError {
    /// The current thread's errno.
    public static var current: Int32 { errno }

    /// The system's text for `code` ("No such file or directory").
    public static func text(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// The system's text for the current errno.
    public static var currentText: String { text(errno) }

    public static let noEntry = ENOENT
    public static let accessDenied = EACCES
    public static let notPermitted = EPERM
    public static let interrupted = EINTR
    public static let brokenPipe = EPIPE
    public static let invalidArgument = EINVAL
    public static let tryAgain = EAGAIN
}

/// Environment variables of this process.
public enum Environment {
    /// The value of `name`, nil when unset.
    public static func get(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Every variable, as a dictionary (a later duplicate wins).
    public static var all: [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            // Split on the first "=" byte: searching the String by Character (grapheme breaking) made reading
            // ~40 variables cost 0.6 M instructions, a tenth of the first prompt's set-up (BENCHMARKS.md).
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(entry).assumingMemoryBound(to: UInt8.self), count: strlen(entry))
            if let eq = bytes.firstIndex(of: UInt8(ascii: "=")) {
                env[String(decoding: bytes[..<eq], as: UTF8.self)] = String(decoding: bytes[(eq + 1)...], as: UTF8.self)
            }
            p += 1
        }
        return env
    }
}

/// Pauses the calling thread (never from an async task: use `Task.sleep` there).
public enum Pause {
    public static func milliseconds(_ ms: Int) {
        guard ms > 0 else { return }
        var ts = timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
        var rem = timespec()
        while nanosleep(&ts, &rem) != 0 && errno == EINTR { ts = rem }
    }
}

/// The C library's locale, which curses and libedit read to decide what a character is.
public enum CLocale {
    /// The user's locale, but with UTF-8 characters: under `LANG=C` (or POSIX) curses would drop every
    /// non-ASCII character while the screen itself is drawn in UTF-8, so character handling then falls
    /// back to glibc's built-in C.UTF-8.
    public static func useUserLocaleWithUTF8() {
        setlocale(LC_ALL, "")
        guard let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" else { return }
        setlocale(LC_CTYPE, "C.UTF-8")
    }
}

/// Shell-style name patterns (`*`, `?`, `[...]`), as the C library matches them (`fnmatch(3)`).
public enum Glob {
    public static func matches(_ name: String, pattern: String) -> Bool { fnmatch(pattern, name, 0) == 0 }
}
