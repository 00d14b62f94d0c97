import NexusCore
import Synchronization

/// The person at the keyboard, scripted: approvals are answered from a queue (then `fallback`), secrets
/// from a table, and every question is remembered so a specification can say what was asked.
public final class ScriptedInteraction: InteractionHandler {
    private let answers: Mutex<[ApprovalDecision]>
    private let fallback: ApprovalDecision
    private let secrets: [String: String]
    private let asked = Mutex<[ApprovalRequest]>([])
    private let askedSecrets = Mutex<[SecretPrompt]>([])

    public init(answers: [ApprovalDecision] = [], fallback: ApprovalDecision = .no, secrets: [String: String] = [:]) {
        self.answers = Mutex(answers)
        self.fallback = fallback
        self.secrets = secrets
    }

    /// The approval requests received, in order.
    public var approvalsAsked: [ApprovalRequest] { asked.withLock { $0 } }
    /// The secret prompts received, in order.
    public var secretsAsked: [SecretPrompt] { askedSecrets.withLock { $0 } }

    public func decide(_ request: ApprovalRequest) async -> ApprovalDecision {
        asked.withLock { $0.append(request) }
        return answers.withLock { $0.isEmpty ? fallback : $0.removeFirst() }
    }

    public func askSecret(_ prompt: SecretPrompt) async -> String? {
        askedSecrets.withLock { $0.append(prompt) }
        return secrets["\(prompt.module)/\(prompt.name)"]
    }
}
