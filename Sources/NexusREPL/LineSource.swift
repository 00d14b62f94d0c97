/// Where line mode gets its input: libedit on a terminal, plain lines from a pipe.
/// `nil` means end of input (Ctrl-D, or the pipe closed).
public protocol LineSource: Sendable {
    func readLine(prompt: String) async -> String?
    /// Reads a line without echo (secrets). Piped sources read the next line.
    func readSecret(prompt: String) async -> String?
    /// Puts `line` back in front of the input, to be read next: a slash command typed or piped where an
    /// approval answer was expected is run as a command, not swallowed as a "no".
    func unread(_ line: String)
    /// Persists what was typed, where that applies (terminal history).
    func close()
    /// Ctrl-C while a line is being typed: drop it and ask again on a fresh line (a terminal's line editor);
    /// nothing for sources that are not typed into.
    func interruptRead()
}

extension LineSource {
    public func interruptRead() {}
}
