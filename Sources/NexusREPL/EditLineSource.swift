@preconcurrency import CLibEdit
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Line editing and persistent history on a terminal, through libedit's readline interface.
public final class EditLineSource: LineSource {
    private let historyPath: String?
    private let lock = Mutex(())

    /// `historyPath`: where typed lines persist between sessions (nil: none).
    public init(historyPath: String?, completions: (@Sendable (String) -> [String])? = nil) {
        self.historyPath = historyPath
        using_history()
        stifle_history(1000)
        if let historyPath { _ = read_history(historyPath) }
        EditLineCompletion.install(completions)
    }

    public func readLine(prompt: String) async -> String? {
        await BlockingCall.run { [self] in
            self.lock.withLock { _ -> String? in
                guard let raw = CLibEdit.readline(prompt) else { return nil }
                defer { free(raw) }
                let line = String(cString: raw)
                if !line.allSatisfy({ $0 == " " }) { add_history(line) }
                return line
            }
        }
    }

    public func readSecret(prompt: String) async -> String? {
        await BlockingCall.run {
            TerminalEcho.withEchoOff(fd: 0) {
                var m = prompt
                m.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
                let line = PipedLineSource(fd: 0).nextLine()
                _ = write(2, "\n", 1)
                return line
            }
        }
    }

    public func close() {
        if let historyPath {
            _ = write_history(historyPath)
            chmod(historyPath, 0o600)
        }
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
            guard let arr = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (all.count + 1))?
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
