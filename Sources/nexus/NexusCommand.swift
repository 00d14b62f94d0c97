import ArgumentParser
import NexusCore
import NexusOrchestrator

/// `nexus`: the root only names the subcommands; with none given, `chat` runs (DESIGN §4.1). Options
/// live on the subcommands so `nexus modules install --yes` and `nexus -p X --yes` never compete.
struct NexusCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "nexus",
        abstract: "A terminal agent that routes each task to the model that suits it and grows its own integrations.",
        discussion: """
            With no subcommand, `nexus` chats: the TUI when stdin and stdout are terminals, else line mode \
            (every piped line is a turn). See `nexus chat --help` for -p, --json, --approve and --plain.

            Environment: ANTHROPIC_API_KEY, OPENAI_API_KEY, OPENAI_BASE_URL, GEMINI_API_KEY, OLLAMA_HOST, \
            MODULE_ENCRYPTION_KEY, NEXUS_HOME, NEXUS_CONFIG, NO_COLOR.

            Exit codes: 0 ok, 1 runtime failure, 2 usage or config error, 3 approval needed but not given.
            """,
        version: version,
        subcommands: [
            ChatCommand.self, DoctorCommand.self, ModelsCommand.self, RouteCommand.self, ModulesCommand.self,
            CredsCommand.self, SandboxCommand.self, BenchCommand.self,
            BuildCommand.self, FarmCommand.self, EvolveCommand.self, ServeCommand.self,
            BudgetCommand.self, AuditCommand.self,
        ],
        defaultSubcommand: ChatCommand.self
    )
}
