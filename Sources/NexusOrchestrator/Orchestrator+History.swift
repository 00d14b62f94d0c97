import NexusCore
import NexusStore

/// Saving the conversation as it happens. A row that cannot be written (a full disk, a database another
/// process made read-only) does not stop the turn, and is not dropped in silence either: it is reported
/// through `LostWriteReporter`, once per session as a notice and every time in `logs/nexus.log`.
extension Orchestrator {
    func saveHistory(_ message: ChatMessage, turn: Int) {
        do {
            try history.append(message, session: sessionID, turn: turn)
        } catch {
            lostWrites.report("conversation history", error, turn: turn)
        }
    }
}
