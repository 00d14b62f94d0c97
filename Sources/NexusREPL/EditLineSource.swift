@preconcurrency import CLibEdit
import NexusPOSIX
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Line editing and persistent history on a terminal, through libedit's readline interface.
///
/// History is appended, never rewritten (`HistoryFile`), and cut to the newest `historyLimit` entries.
public final class EditLineSource: LineSource {
    public static let historyLimit: Int32 = 1000
    private let historyPath: String?
    /// Lines this session added to the history, not yet in the file.
    private let added = Mutex(0)
    private let lock = Mutex(())
    /// A line given back with `unread`, returned by the next `readLine` before libedit is asked.
    private let pending = Mutex<[String]>([])
    /// Scrubs lines before they are written to the history file (set once the vault is open).
    private let redaction = Mutex<(@Sendable (String) -> String)?>(nil)

    /// `historyPath`: where typed lines persist between sessions (nil: none).
    public init(historyPath: String?, completions: (@Sendable (String) -> [String])? = nil) {
        self.historyPath = historyPath
        using_history()
        clear_history()
        stifle_history(Self.historyLimit)
        if let historyPath { _ = read_history(historyPath) }
        EditLineCompletion.install(completions)
    }

    /// How many entries the in-memory history holds (libedit keeps one history per process).
    static var entriesInMemory: Int { Int(history_length) }

    /// Adds a typed line to the in-memory history (blank lines are not kept).
    func remember(_ line: String) {
        guard !line.allSatisfy({ $0 == " " }) else { return }
        add_history(line)
        added.withLock { $0 = min($0 + 1, Int(Self.historyLimit)) }
    }

    public func readLine(prompt: String) async -> String? {
        if let line = pending.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return line }
        return await DetachedThread.run { [self] in
            self.lock.withLock { _ -> String? in
                guard let raw = CLibEdit.readline(prompt) else { return nil }
                defer { free(raw) }
                let line = String(cString: raw)
                self.remember(line)
                return line
            }
        }
    }

    public func readSecret(prompt: String) async -> String? {
        await DetachedThread.run {
            TerminalEcho.withEchoOff(fd: 0) {
                var m = prompt
                m.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
                let line = PipedLineSource(fd: 0).nextLine()
                _ = write(2, "\n", 1)
                return line
            }
        }
    }

    public func unread(_ line: String) {
        pending.withLock { $0.insert(line, at: 0) }
    }

    /// Tab completes the first word from `completions` (slash command names), given once the session that
    /// knows them exists; until then Tab offers nothing.
    public func completeWith(_ completions: @escaping @Sendable (String) -> [String]) {
        EditLineCompletion.install(completions)
    }

    /// Every line this session writes to the history file passes `redact` first (the vault's redactor).
    public func redactHistory(with redact: @escaping @Sendable (String) -> String) {
        redaction.withLock { $0 = redact }
    }

    /// Appends this session's lines, redacted, to the history file; see `HistoryFile`.
    public func close() {
        guard let historyPath else { return }
        let n = added.withLock { n in
            defer { n = 0 }
            return n
        }
        if let redact = redaction.withLock({ $0 }) { HistoryFile.scrubNewest(n, redact: redact) }
        HistoryFile.appendNewest(n, to: historyPath, limit: Self.historyLimit)
    }
}

/// Tab completion of slash commands, bridged to libedit's C callback through one global.
enum EditLineCompletion {
    nonisolated(unsafe) static var provider: (@Sendable (String) -> [String])?

    static func install(_ p: (@Sendable (String) -> [String])?) {
        provider = p
        guard p != nil else { return }
        rl_attempted_completion_function = { text, start, _ in
            guard let text, start == 0, let provider = EditLineCompletion.provider else { return nil }
            let prefix = String(cString: text)
            let matches = provider(prefix)
            guard !matches.isEmpty else { return nil }
            // readline wants a NULL-terminated malloc'd array whose first entry is the common prefix.
            let all = [Self.commonPrefix(matches)] + matches
            guard
                let arr = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (all.count + 1))?
                    .assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self)
            else { return nil }
            for (i, m) in all.enumerated() { arr[i] = strdup(m) }
            arr[all.count] = nil
            return arr
        }
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var p = words.first else { return "" }
        for w in words.dropFirst() {
            while !w.hasPrefix(p) { p.removeLast() }
        }
        return p
    }
}

/// Turns terminal echo off around a secret read and restores it exactly.
enum TerminalEcho {
    static func withEchoOff<T>(fd: Int32, _ body: () -> T) -> T {
        var old = termios()
        guard tcgetattr(fd, &old) == 0 else { return body() }
        var silent = old
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(fd, TCSAFLUSH, &silent)
        defer { tcsetattr(fd, TCSAFLUSH, &old) }
        return body()
    }
}
