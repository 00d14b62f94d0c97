import NexusCore

/// Slash commands: dispatched through the shared registry (wired when the registry lands).
extension Orchestrator {
    func runCommand(_ line: String) async -> SubmitOutcome {
        let turn = nextTurn()
        let name = String(line.dropFirst().prefix { $0 != " " })
        let outcome: SubmitOutcome
        switch name {
        case "quit", "exit": outcome = .quit
        default:
            bus.publish(turn: turn, .error(message: "unknown command /\(name)", hint: "type /help for the list"))
            outcome = .failed(.usage)
        }
        bus.publish(turn: turn, .turnFinished(outcome: "command", latencyMs: 0))
        return outcome
    }

    nonisolated func commandCompletions(_ prefix: String) -> [Completion] { [] }
}
