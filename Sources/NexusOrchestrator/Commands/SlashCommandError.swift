import NexusCore

/// Why a slash command did not run: unknown name (with a suggestion), bad quoting, or arguments
/// that do not fit its usage. Shown as one line; ends a scripted run with exit 2.
public enum SlashCommandError: UserFacingError, Equatable, CustomStringConvertible {
    case unknownCommand(String, suggestion: String?)
    case emptyCommand
    case unterminatedQuote(Character, line: String)
    case badArguments(command: String, problem: String, usage: String)
    /// Two registrations claim the same name or alias (a programming mistake, caught at start-up).
    case duplicateName(String)

    public var userMessage: String {
        switch self {
        case .unknownCommand(let name, let suggestion?): "unknown command /\(name) — did you mean /\(suggestion)?"
        case .unknownCommand(let name, nil): "unknown command /\(name)"
        case .emptyCommand: "a command name must follow \"/\""
        case .unterminatedQuote(let q, let line): "unterminated \(q) in: \(line)"
        case .badArguments(let command, let problem, _): "/\(command): \(problem)"
        case .duplicateName(let name): "slash command /\(name) is registered twice"
        }
    }

    public var hint: String? {
        switch self {
        case .unknownCommand, .emptyCommand: "type /help for the list of commands"
        case .unterminatedQuote(let q, _): "close the \(q) or escape it with a backslash"
        case .badArguments(_, _, let usage): "usage: \(usage)"
        case .duplicateName: nil
        }
    }

    public var exitCode: ExitStatus { .usage }
    public var description: String { userMessage }
}
