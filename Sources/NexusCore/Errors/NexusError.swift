/// An error a person can act on: what went wrong and where, the next step, and the process exit code.
///
/// Every failure that reaches a face is shown as one line: `where: what` followed by the hint
/// (DESIGN §2.6). Subsystems define their own typed errors and conform to this protocol.
public protocol UserFacingError: Error, Sendable {
    /// One line naming what went wrong and where (file:line, key, module, provider).
    var userMessage: String { get }
    /// The next step, when there is one ("set ANTHROPIC_API_KEY", "run: chmod 600 ~/.config/nexus/vault.key").
    var hint: String? { get }
    /// Process exit code when this ends the program (DESIGN §4.1).
    var exitCode: ExitStatus { get }
}

extension UserFacingError {
    public var hint: String? { nil }
    public var exitCode: ExitStatus { .failure }
}

/// NEXUS's exit codes (DESIGN §4.1).
public enum ExitStatus: Int32, Sendable {
    case success = 0
    case failure = 1
    case usage = 2
    case approvalNeeded = 3
}

/// A general-purpose `UserFacingError` for places that need no type of their own.
public struct NexusError: UserFacingError, CustomStringConvertible {
    public var userMessage: String
    public var hint: String?
    public var exitCode: ExitStatus

    public init(_ message: String, hint: String? = nil, exit: ExitStatus = .failure) {
        self.userMessage = message
        self.hint = hint
        self.exitCode = exit
    }

    public var description: String { hint.map { "\(userMessage) — \($0)" } ?? userMessage }
}

extension Error {
    /// The one-line text shown for any error: a `UserFacingError`'s message and hint, else its description.
    public var userFacingDescription: String {
        if let e = self as? any UserFacingError {
            return e.hint.map { "\(e.userMessage)\n  hint: \($0)" } ?? e.userMessage
        }
        return String(describing: self)
    }
}
