import NexusCore
import Synchronization

/// Answers approvals and secret prompts in line mode: `--approve yes|no` answers by itself; `ask`
/// reads the answer from the next input line (a terminal prompt, or the next piped line).
public final class LineInteraction: InteractionHandler {
    public enum Policy: String, Sendable { case ask, yes, no }
    let policy: Policy
    let source: any LineSource
    let err: OutputSink
    private let state = Mutex<(always: Set<String>, denied: Bool)>((always: [], denied: false))

    public init(policy: Policy, source: any LineSource, err: OutputSink = .stderr) {
        self.policy = policy
        self.source = source
        self.err = err
    }

    /// True when an approval was refused (or unanswerable) — scripted runs then exit 3.
    public var anyDenied: Bool { state.withLock { $0.denied } }

    public func decide(_ request: ApprovalRequest) async -> ApprovalDecision {
        let key = request.kind.rawValue + ":" + request.title
        if state.withLock({ $0.always.contains(key) }) { return .yes }
        let decision: ApprovalDecision
        switch policy {
        case .yes: decision = .yes
        case .no: decision = .no
        case .ask:
            err.write("approve? [y]es / [n]o / [a]lways this session: ")
            let answer = await source.readLine(prompt: "")?.trimmingSpaces.lowercased()
            switch answer {
            case "y", "yes": decision = .yes
            case "a", "always": decision = .always
            default: decision = .no
            }
        }
        state.withLock {
            if decision == .always { $0.always.insert(key) }
            if decision == .no { $0.denied = true }
        }
        return decision
    }

    public func askSecret(_ prompt: SecretPrompt) async -> String? {
        if policy != .ask { return nil }
        if let i = prompt.instructions { err.write("\(i)\n") }
        return await source.readSecret(prompt: "\(prompt.module) \(prompt.name): ")
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
