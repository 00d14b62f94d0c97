import NexusCore
import NexusOrchestrator
import NexusPOSIX
import NexusREPL
import NexusSandbox
import NexusTUI

/// Runs a chat as `ChatOptions` ask: the TUI on a terminal, line mode when piped or `--plain`, or one `-p`
/// turn. Shared by the ArgumentParser command and the fast path in main.swift.
enum ChatSession {
    /// Runs the chat and returns the process's exit code (DESIGN §4.1; the TUI may add 130 for Ctrl-C).
    static func run(_ options: ChatOptions) async throws -> Int32 {
        let ctx = try GlobalOptions.openContext(home: options.home, config: options.config)
        let policy = options.policy
        let interactive = Terminal.stdinIsTTY && options.prompt == nil
        let color = Terminal.stdoutIsTTY && ctx.environment["NO_COLOR"] == nil && ctx.config.ui.color != .never
        let renderer = EventRenderer(style: options.json ? .json : .text, color: color && !options.json)

        if var p = options.prompt {
            let fromStdin = p == "-"
            if fromStdin { p = await PipedLineSource(fd: 0).readAll() }
            try LineModeApp.checkPrompt(p, fromStdin: fromStdin)
            var notices: [String] = []
            if !fromStdin, let piped = try await pipedContext(prompt: p) {
                p = piped.prompt(after: p)
                notices.append(piped.notice)
            }
            let source = PipedLineSource(fd: 0)
            let interaction = LineInteraction(policy: policy == .ask ? .no : policy, source: source)
            let parts = try await SessionFactory.make(
                context: ctx, interaction: interaction, adminPort: options.adminPort)
            let status = await LineModeApp(
                session: parts.orchestrator, source: source, renderer: renderer, interactive: false
            ).runOnce(p, notices: notices)
            await SessionFactory.shutdown(parts)
            return (interaction.anyDenied && status == .success ? ExitStatus.approvalNeeded : status).rawValue
        }

        // A terminal that cannot address the screen (TERM=dumb, or none: Emacs shells, some CI consoles)
        // gets line mode, which works there, rather than a TUI that draws nothing.
        let term = ctx.environment["TERM"] ?? ""
        let canDrawScreen = !term.isEmpty && term != "dumb"
        if interactive && Terminal.stdoutIsTTY && !options.plain && !options.json && canDrawScreen {
            let tui = TUIInteraction()
            let parts = try await SessionFactory.make(context: ctx, interaction: tui, adminPort: options.adminPort)
            let orchestrator = parts.orchestrator
            Task.detached { await orchestrator.setSandboxTier(SandboxProbe.run().tier) }
            let app = TUIApp(
                session: parts.orchestrator,
                options: TUIOptions(color: ctx.config.ui.color, environment: ctx.environment), interaction: tui)
            let status = await app.run()
            await SessionFactory.shutdown(parts)
            return status
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
                start: {
                    let parts = try await SessionFactory.make(
                        context: ctx, interaction: interaction, adminPort: options.adminPort)
                    let redactor = parts.redactor
                    (source as? EditLineSource)?.redactHistory(with: { redactor.redact($0) })
                    let session = parts.orchestrator
                    (source as? EditLineSource)?.completeWith { session.completions(for: $0).map(\.text) }
                    return parts
                },
                session: { $0.orchestrator })
        } else {
            parts = try await SessionFactory.make(context: ctx, interaction: interaction, adminPort: options.adminPort)
            status = await LineModeApp(
                session: parts.orchestrator, source: source, renderer: renderer, interactive: false
            )
            .run()
        }
        await SessionFactory.shutdown(parts)
        return (!interactive && interaction.anyDenied && status == .success ? ExitStatus.approvalNeeded : status)
            .rawValue
    }

    /// `cat notes.txt | nexus -p "summarize this"`: piped standard input is the prompt's context
    /// (`PipedContext`). A terminal is not read, nor is input under a slash command (its secret prompt may
    /// read it); a pipe that stays silent is said once, and still waited for.
    static func pipedContext(prompt: String) async throws -> PipedContext? {
        guard !Terminal.stdinIsTTY, !prompt.trimmingSpaces.hasPrefix("/") else { return nil }
        return try await PipedContext.read(waiting: {
            Terminal.warn(
                "waiting for standard input, which -p PROMPT sends with the prompt (end it with Ctrl-D; "
                    + "to send none: nexus -p PROMPT < /dev/null)")
        })
    }
}
