/// Where line mode gets its input: libedit on a terminal, plain lines from a pipe.
/// `nil` means end of input (Ctrl-D, or the pipe closed).
public protocol LineSource: Sendable {
    func readLine(prompt: String) async -> String?
    /// Reads a line without echo (secrets). Piped sources read the next line.
    func readSecret(prompt: String) async -> String?
    /// Persists what was typed, where that applies (terminal history).
    func close()
}
