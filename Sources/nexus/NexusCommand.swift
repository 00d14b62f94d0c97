import ArgumentParser
import NexusCore
import NexusOrchestrator
import NexusREPL
import NexusSandbox
import NexusTUI

/// `nexus`: the root only names the subcommands; with none given, `chat` runs (DESIGN §4.1). Options
/// live on the subcommands so `nexus modules install --yes` and `nexus -p X --yes` never compete.
struct NexusCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "nexus",
        abstract: "A terminal agent that routes each task to the model that suits it and grows its own integrations.",
        discussion: """
            With no subcommand, `nexus` chats: the TUI when stdin and stdout are terminals, else line mode
            (every piped line is a turn). See `nexus chat --help` for -p, --json, --approve and --plain.
            Environment: ANTHROPIC_API_KEY, OPENAI_API_KEY, OPENAI_BASE_URL, GEMINI_API_KEY, OLLAMA_HOST,
            MODULE_ENCRYPTION_KEY, NEXUS_HOME, NEXUS_CONFIG, NO_COLOR.
            Exit codes: 0 ok, 1 runtime failure, 2 usage or config error, 3 approval needed but not given.
            """,
        version: version,
        subcommands: [
            ChatCommand.self, DoctorCommand.self, ModelsCommand.self, RouteCommand.self, ModulesCommand.self, CredsCommand.self, SandboxCommand.self, BenchCommand.self,
            FakeProviderCommand.self,
        ],
        defaultSubcommand: ChatCommand.self
    )
}

/// `nexus chat` (the default): the TUI on a terminal, line mode otherwise, or one `-p` turn.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Chat: the TUI on a terminal, line mode when piped, or one turn with -p.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .short, help: ArgumentHelp("Run one turn and print the answer (`-` reads the prompt from stdin).", valueName: "prompt"))
    var prompt: String?

    @Flag(name: .long, help: "Print JSON Lines events instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("How approvals are answered: ask, yes or no.", valueName: "ask|yes|no"))
    var approve: ApprovalPolicyArgument = .ask

    @Flag(name: .long, help: "Approve everything (same as --approve yes).")
    var yes = false

    @Flag(name: .long, help: "Use line mode even on a terminal.")
    var plain = false

    func run() async throws {
        let ctx = try global.openContext()
        let policy: LineInteraction.Policy = yes ? .yes : approve.policy
        let interactive = Terminal.stdinIsTTY && prompt == nil
        let color = Terminal.stdoutIsTTY && ctx.environment["NO_COLOR"] == nil && ctx.config.ui.color != .never
        let renderer = EventRenderer(style: json ? .json : .text, color: color && !json)

        if var p = prompt {
            if p == "-" { p = await PipedLineSource(fd: 0).readAll() }
            let source = PipedLineSource(fd: 0)
            let interaction = LineInteraction(policy: policy == .ask ? .no : policy, source: source)
            let parts = try await SessionFactory.make(context: ctx, interaction: interaction)
            let status = await LineModeApp(
                session: parts.orchestrator, source: source, renderer: renderer, interactive: false
            ).runOnce(p)
            await SessionFactory.shutdown(parts)
            let final = interaction.anyDenied && status == .success ? ExitStatus.approvalNeeded : status
            throw ExitCode(final.rawValue)
        }

        if interactive && Terminal.stdoutIsTTY && !plain && !json {
            let tui = TUIInteraction()
            let parts = try await SessionFactory.make(context: ctx, interaction: tui)
            let orchestrator = parts.orchestrator
            Task.detached { await orchestrator.setSandboxTier(SandboxProbe.run().tier) }
            let app = TUIApp(
                session: parts.orchestrator,
                options: TUIOptions(color: ctx.config.ui.color, environment: ctx.environment), interaction: tui)
            let status = await app.run()
            await SessionFactory.shutdown(parts)
            throw ExitCode(status)
        }

        let source: any LineSource =
            interactive
            ? EditLineSource(historyPath: ctx.paths.replHistory)
            : PipedLineSource(fd: 0)
        let interaction = LineInteraction(policy: policy, source: source)
        let banner = "nexus \(NexusCommand.version) — /help for commands, Ctrl-D to exit\n"
        let status: ExitStatus
        let parts: SessionFactory.Parts
        if interactive {
            // The prompt appears before providers, modules and the vault are set up.
            (status, parts) = try await LineModeApp.runWhileStarting(
                source: source, renderer: renderer, banner: banner,
                start: { try await SessionFactory.make(context: ctx, interaction: interaction) },
                session: { $0.orchestrator })
        } else {
            parts = try await SessionFactory.make(context: ctx, interaction: interaction)
            status = await LineModeApp(session: parts.orchestrator, source: source, renderer: renderer, interactive: false)
                .run()
        }
        await SessionFactory.shutdown(parts)
        let final = !interactive && interaction.anyDenied && status == .success ? ExitStatus.approvalNeeded : status
        throw ExitCode(final.rawValue)
    }
}

/// `--approve ask|yes|no`.
enum ApprovalPolicyArgument: String, ExpressibleByArgument, CaseIterable {
    case ask, yes, no
    var policy: LineInteraction.Policy {
        switch self {
        case .ask: .ask
        case .yes: .yes
        case .no: .no
        }
    }
}
