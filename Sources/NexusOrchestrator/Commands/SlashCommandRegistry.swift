import NexusCore
import Synchronization

/// The one table of slash commands shared by line mode, the TUI and piped input.
///
/// Subsystems register commands at start-up; faces ask it for help text and Tab completions; the
/// session runs lines through `execute`. Unknown names get a Damerau–Levenshtein suggestion
/// ("unknown command /hepl — did you mean /help?"). Thread-safe: state lives behind a Mutex.
///
///     let registry = SlashCommandRegistry()
///     try registry.registerBuiltins(hooks)
///     if let result = try await registry.execute("/help") { print(result.text) }
public final class SlashCommandRegistry: Sendable {
    struct State {
        var commands: [String: SlashCommand] = [:]
        /// alias or name → primary name.
        var names: [String: String] = [:]
    }

    let state = Mutex(State())

    public init() {}

    /// Adds a command; a name or alias already taken is refused.
    public func register(_ command: SlashCommand) throws(SlashCommandError) {
        let result: SlashCommandError? = state.withLock { s in
            for n in command.allNames where s.names[n] != nil { return .duplicateName(n) }
            s.commands[command.name] = command
            for n in command.allNames { s.names[n] = command.name }
            return nil
        }
        if let result { throw result }
    }

    /// Removes a command and its aliases (a module's commands when it is uninstalled).
    public func unregister(_ name: String) {
        state.withLock { s in
            guard let primary = s.names[Self.normalized(name)], let command = s.commands[primary] else { return }
            s.commands[primary] = nil
            for n in command.allNames { s.names[n] = nil }
        }
    }

    /// By name or alias, with or without the slash, any case.
    public func command(named name: String) -> SlashCommand? {
        state.withLock { s in s.names[Self.normalized(name)].flatMap { s.commands[$0] } }
    }

    /// Every command, sorted by name.
    public var commands: [SlashCommand] {
        state.withLock { s in s.commands.values.sorted { $0.name < $1.name } }
    }

    /// The closest registered name or alias to a mistyped one.
    public func suggestion(for name: String) -> String? {
        let names = commands.flatMap(\.allNames)
        return DidYouMean.suggestion(for: Self.normalized(name), among: names)
    }

    /// Runs a line. nil when it is chat text rather than a command (see `SlashCommandLine.parse`).
    public func execute(_ line: String) async throws -> SlashResult? {
        guard let parsed = try SlashCommandLine.parse(line) else { return nil }
        return try await execute(parsed)
    }

    public func execute(_ line: SlashCommandLine) async throws -> SlashResult {
        if line.name.isEmpty { throw SlashCommandError.emptyCommand }
        guard let command = command(named: line.name) else {
            throw SlashCommandError.unknownCommand(line.name, suggestion: suggestion(for: line.name))
        }
        let invocation = SlashInvocation(line: line, command: command, registry: self)
        guard command.takesArguments || line.arguments.isEmpty else {
            throw invocation.usageError("takes no arguments")
        }
        return try await command.handler(invocation)
    }

    /// Every command with its one-line summary, aligned:
    ///
    ///     /clear          Forget the conversation so far
    ///     /quit, /exit    Leave NEXUS
    public func help() -> String {
        let rows = commands.map { c in (c.allNames.map { "/" + $0 }.joined(separator: ", "), c.summary) }
        let width = rows.map(\.0.count).max() ?? 0
        let lines = rows.map { left, summary in
            "  " + left.padded(to: width + 2) + summary
        }
        return (["Commands:"] + lines + ["Type /help COMMAND for its usage."]).joined(separator: "\n")
    }

    /// One command's usage, summary and aliases; nil when there is no such command.
    public func help(for name: String) -> String? {
        guard let c = command(named: name) else { return nil }
        var lines = ["usage: \(c.usage)", "  \(c.summary)"]
        if !c.aliases.isEmpty { lines.append("  also: " + c.aliases.map { "/" + $0 }.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    static func normalized(_ name: String) -> String {
        (name.hasPrefix("/") ? String(name.dropFirst()) : name).lowercased()
    }
}
