import NexusCore
import Synchronization

/// Answers approvals and secret prompts in line mode: `--approve yes|no` answers by itself; `ask`
/// reads the answer from the next input line (a terminal prompt, or the next piped line).
public final class LineInteraction: InteractionHandler {
    public enum Policy: String, Sendable { case ask, yes, no }
    let policy: Policy
    let source: any LineSource
    let err: OutputSink
    private let state = Mutex<(always: ApprovalMemory, denied: Bool)>((always: ApprovalMemory(), denied: false))

    public init(policy: Policy, source: any LineSource, err: OutputSink = .stderr) {
        self.policy = policy
        self.source = source
        self.err = err
    }

    /// True when an approval was refused (or unanswerable) — scripted runs then exit 3.
    public var anyDenied: Bool { state.withLock { $0.denied } }

    /// Shows what is asked (title and details; in line mode this is the only place they are shown), then
    /// answers by policy or reads the answer: y, n, a (always for exactly this request), t (always for
    /// this tool, any arguments; offered only for a tool call) or v (show the shortened details whole, then
    /// ask again). On a terminal anything else is asked again; from a pipe it counts as no. A slash command
    /// where an answer was expected is put back to run as a command.
    public func decide(_ request: ApprovalRequest) async -> ApprovalDecision {
        if state.withLock({ $0.always.covers(request) }) { return .yes }
        show(request)
        let decision: ApprovalDecision
        switch policy {
        case .yes:
            decision = .yes
            err.write("  → approved (--approve yes)\n")
        case .no:
            decision = .no
            err.write("  → denied (--approve no)\n")
        case .ask:
            decision = await ask(request)
        }
        state.withLock {
            $0.always.remember(decision, for: request)
            if decision == .no { $0.denied = true }
        }
        return decision
    }

    /// Values longer than this are shortened on screen, with the count of what was left out.
    static let shownCharacters = 400

    func show(_ r: ApprovalRequest, whole: Bool = false) {
        err.write(r.title + "\n")
        let width = r.details.map(\.label.count).max() ?? 0
        for d in r.details {
            let value = whole ? d.value : ApprovalText.shortened(d.value, to: Self.shownCharacters, how: "answer v")
            err.write("  " + d.label.padded(to: width) + "  " + value + "\n")
        }
    }

    func ask(_ request: ApprovalRequest) async -> ApprovalDecision {
        let onTerminal = source is EditLineSource
        let toolChoice = request.alwaysToolScope.map { " / [t] always for \($0)" } ?? ""
        let shortened = request.details.contains { $0.value.count > Self.shownCharacters }
        let viewChoice = shortened ? " / [v]iew whole" : ""
        var tries = 0
        while tries < 3 {
            tries += 1
            err.write("approve? [y]es / [n]o / [a]lways for \(request.alwaysScope)\(toolChoice)\(viewChoice): ")
            guard let raw = await source.readLine(prompt: "") else { return .no }
            let answer = raw.trimmingSpaces.lowercased()
            // A terminal shows what was typed; piped, the answer is written after the question, so the transcript
            // reads as one line and what follows starts on its own.
            if !onTerminal { err.write(String(raw.trimmingSpaces.prefix(40)) + "\n") }
            switch answer {
            case "y", "yes": return .yes
            case "a", "always": return .always
            case "t" where request.tool != nil, "tool" where request.tool != nil: return .alwaysTool
            case "n", "no": return .no
            case "v", "view":
                show(request, whole: true)
                tries -= 1
                continue
            default: break
            }
            if answer.hasPrefix("/") {
                source.unread(raw)
                err.write(
                    "  \(answer.split(separator: " ").first ?? "") is a command, not an answer: denied; it runs next\n")
                return .no
            }
            guard onTerminal else {
                let choices = request.tool == nil ? "y, n or a" : "y, n, a or t"
                err.write("  \"\(answer.prefix(40))\" is not \(choices): denied\n")
                return .no
            }
        }
        err.write("  no answer: denied\n")
        return .no
    }

    public func askSecret(_ prompt: SecretPrompt) async -> String? {
        if policy != .ask { return nil }
        if let i = prompt.instructions { err.write("\(i)\n") }
        return await source.readSecret(prompt: "\(prompt.module) \(prompt.name): ")
    }
}
