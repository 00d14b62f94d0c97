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
            if !fromStdin { warnIfStdinIsIgnored(prompt: p) }
            let source = PipedLineSource(fd: 0)
            let interaction = LineInteraction(policy: policy == .ask ? .no : policy, source: source)
            let parts = try await SessionFactory.make(
                context: ctx, interaction: interaction, adminPort: options.adminPort)
            let status = await LineModeApp(
                session: parts.orchestrator, source: source, renderer: renderer, interactive: false
            ).runOnce(p)
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

    /// `cat notes.txt | nexus -p "summarize this"` answered without the notes: with `-p PROMPT` standard input
    /// is not read (only `-p -` reads it, and a slash command's secret prompt). Data already waiting there is
    /// said once, with the way to send it; nothing is read or waited for.
    static func warnIfStdinIsIgnored(prompt: String) {
        guard !prompt.trimmingSpaces.hasPrefix("/") else { return }
        let waiting = Descriptor.bytesWaiting(0)
        guard waiting > 0 else { return }
        Terminal.warn(
            "standard input (\(waiting) bytes waiting) is not read with -p PROMPT; to send it, put the prompt "
                + "first and use -p -: { echo 'PROMPT'; cat FILE; } | nexus -p -")
    }
}
