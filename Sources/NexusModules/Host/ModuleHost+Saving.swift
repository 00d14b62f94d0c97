import NexusStore

/// Registry writes the host makes as modules run (health, tool lists, call statistics). None of them may
/// fail a tool call, and none may vanish without a word: a failure goes to `LostWriteReporter`.
extension ModuleHost {
    nonisolated func saving(_ what: String, _ write: () throws -> Void) {
        do {
            try write()
        } catch {
            lostWrites.report(what, error, turn: 0)
        }
    }
}
