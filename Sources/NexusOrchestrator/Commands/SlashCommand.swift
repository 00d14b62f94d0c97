/// One slash command: what it is called, what it does in one line, how to use it, how to complete its
/// first argument, and the handler that runs it.
///
/// Commands are values registered in a `SlashCommandRegistry`, so each subsystem (models, cost, modules,
/// creds, build) adds its own without the faces knowing about any of them.
///
///     SlashCommand(name: "model", summary: "Show or change the model for a task type",
///                  usage: "/model [TASK provider:model]",
///                  completeArgument: { _ in TaskType.builtIn.map(\.rawValue) }) { invocation in
///         SlashResult("routing updated")
///     }
public struct SlashCommand: Sendable {
    /// Without the slash, lowercase (`help`).
    public var name: String
    /// Other names that run the same command (`exit` for `quit`).
    public var aliases: [String]
    /// One line for `/help`.
    public var summary: String
    /// `/model [TASK provider:model]`: shown by `/help model` and in argument errors.
    public var usage: String
    /// Candidates for the first argument given what has been typed of it (filtered by prefix afterwards).
    public var completeArgument: @Sendable (_ partial: String) -> [String]
    /// A command registered without a usage line takes no arguments; the registry refuses any given, so
    /// `/cost extra` is an error everywhere rather than ignored by some commands.
    public var takesArguments: Bool
    public var handler: @Sendable (SlashInvocation) async throws -> SlashResult

    public init(
        name: String, aliases: [String] = [], summary: String, usage: String? = nil,
        completeArgument: @escaping @Sendable (_ partial: String) -> [String] = { _ in [] },
        handler: @escaping @Sendable (SlashInvocation) async throws -> SlashResult
    ) {
        self.name = name.lowercased()
        self.aliases = aliases.map { $0.lowercased() }
        self.summary = summary
        self.usage = usage ?? "/" + name.lowercased()
        self.takesArguments = usage != nil
        self.completeArgument = completeArgument
        self.handler = handler
    }

    /// The name and its aliases.
    public var allNames: [String] { [name] + aliases }
}

/// What a handler receives: the parsed line and the registry it was run from (for `/help`).
public struct SlashInvocation: Sendable {
    public var line: SlashCommandLine
    public var command: SlashCommand
    public var registry: SlashCommandRegistry

    public var arguments: [String] { line.arguments }
    public var argumentText: String { line.argumentText }

    public init(line: SlashCommandLine, command: SlashCommand, registry: SlashCommandRegistry) {
        self.line = line
        self.command = command
        self.registry = registry
    }

    /// The error to throw when the arguments do not fit: `usage: /history [N]`, exit 2.
    public func usageError(_ problem: String) -> SlashCommandError {
        .badArguments(command: command.name, problem: problem, usage: command.usage)
    }
}

/// What running a command produced: text to show, and what the face should do next.
public struct SlashResult: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case none
        /// `/quit`: leave the REPL or TUI.
        case quit
        /// `/clear`: the conversation was reset; a face may clear its screen too.
        case clear
    }

    public var text: String
    public var action: Action

    public init(_ text: String, action: Action = .none) {
        self.text = text
        self.action = action
    }
}
