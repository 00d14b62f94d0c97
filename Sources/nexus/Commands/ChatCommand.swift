import ArgumentParser
import NexusREPL

/// `nexus chat` (the default): the TUI on a terminal, line mode otherwise, or one `-p` turn. This type
/// only declares the options for ArgumentParser (help, completions, errors); `ChatSession` does the work.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Chat: the TUI on a terminal, line mode when piped, or one turn with -p.")

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .short, parsing: .unconditional,
        help: ArgumentHelp(
            "Run one turn and print the answer (`-` reads the prompt from stdin; other piped input is sent with it).",
            valueName: "prompt"))
    var prompt: String?

    @Flag(name: .long, help: "Print JSON Lines events instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("How approvals are answered: ask, yes or no.", valueName: "ask|yes|no"))
    var approve: LineInteraction.Policy = .ask

    @Flag(name: .long, help: "Approve everything (same as --approve yes).")
    var yes = false

    @Flag(name: .long, help: "Use line mode even on a terminal.")
    var plain = false

    @Option(
        name: .long,
        help: ArgumentHelp("Serve the admin API and /metrics on 127.0.0.1:PORT with this session.", valueName: "port"))
    var adminPort: Int?

    var options: ChatOptions {
        ChatOptions(
            home: global.home, config: global.config, prompt: prompt, json: json, approve: approve, yes: yes,
            plain: plain, adminPort: adminPort)
    }

    func run() async throws {
        throw ExitCode(try await ChatSession.run(options))
    }
}

/// `--approve ask|yes|no`.
extension LineInteraction.Policy: ExpressibleByArgument, CaseIterable {
    public static var allCases: [LineInteraction.Policy] { [.ask, .yes, .no] }
}
