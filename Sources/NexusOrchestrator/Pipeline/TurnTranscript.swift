import NexusCore

/// The conversation a turn reads and adds to: the session keeps it (and writes each message to the
/// history), the executor asks for it before every model call and records each message as it comes.
protocol TurnTranscript: Sendable {
    /// The conversation so far, oldest first (without the system prompt).
    func messages() async -> [ChatMessage]
    /// Adds `message` to the conversation and the session's history.
    func record(_ message: ChatMessage, turn: Int) async
}
