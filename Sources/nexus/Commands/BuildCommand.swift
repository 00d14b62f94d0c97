import ArgumentParser
import NexusCore
import NexusEvolution
import NexusREPL

/// `nexus build DESCRIPTION ...`: submits `/build ...` to a line-mode session, so the subcommand and the
/// slash command are one implementation (issue 14). Approval follows `--approve` (a script without one
/// exits 3); `--json` prints the build's events, the proof inside `approval_required`.
struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a module from a description: generate, prove in the sandbox, approve, install.",
        discussion: """
            nexus build "an integration for the Open-Meteo forecast API: forecast by city"
            nexus build "Clash Royale: player profile by tag" --credential api_key=@~/cr.key --approve yes --json
            nexus build --openapi farm/api_key_header/openapi.yaml --no-model --yes

            With --openapi, the module is generated from the OpenAPI document (JSON or YAML; OpenAPI 3.0, 3.1 or \
            Swagger 2.0), then goes through the same gate, proof, approval and install. Without --no-model, one \
            model call may improve its tool descriptions (any failure keeps the generated ones).

            Each attempt is one model call on the code_generation route (repairs on test_validation, at most \
            [build] max_repairs); every attempt is kept under $NEXUS_HOME/builds/<id>/. The proof (files, gate \
            checks, tests, mutation score, hosts, credentials, sha256, models, cost) is shown before approval.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "What to build, in your words.") var description: [String] = []
    @Option(help: ArgumentHelp("Build from this OpenAPI document (no model).", valueName: "spec")) var openapi: String?
    @Option(
        help: ArgumentHelp(
            "With --openapi: which operations (globs of tool names or operationIds).", valueName: "glob,..."))
    var operations: String?
    @Option(name: .customLong("base-url"), help: ArgumentHelp("With --openapi: the API's base URL.", valueName: "url"))
    var baseURL: String?
    @Flag(name: .customLong("no-model"), help: "With --openapi: call no model at all.") var noModel = false
    @Option(
        help: ArgumentHelp(
            "With --openapi: prove the module against this farm scenario (the gate's contract check).",
            valueName: "scenario"))
    var farm: String?
    @Option(help: ArgumentHelp("A text file of API documentation to send with the request.", valueName: "file"))
    var docs: String?
    @Option(help: "The module's name (lowercase letters, digits, underscores).") var name: String?
    @Option(name: .long, help: ArgumentHelp("How the install approval is answered.", valueName: "ask|yes|no"))
    var approve: LineInteraction.Policy = .ask
    @Flag(name: .long, help: "Approve the install (same as --approve yes).") var yes = false
    @Option(
        name: .customLong("credential"),
        help: ArgumentHelp(
            "A credential for the built module, from a file or a variable (repeatable).",
            valueName: "NAME=@FILE|env:VAR"))
    var credentials: [String] = []
    @Flag(name: .long, help: "Print JSON Lines events instead of text.") var json = false

    /// The `/build` line this command stands for.
    var slashLine: String { "/build " + slashWords.map(Self.quote).joined(separator: " ") }

    /// Refuses what `/build` would refuse before a session opens, with the command line's own usage
    /// (the `/build` hints name the slash command, not `nexus build`). Called by `run`, so the error is
    /// printed as nexus prints errors (`validate()` would print ArgumentParser's form and exit 1).
    func checkArguments() throws {
        if description.isEmpty && openapi == nil {
            throw NexusError(
                "build: say what to build, e.g. nexus build \"a module for the Open-Meteo forecast API\"",
                hint: "or from an OpenAPI document: nexus build --openapi SPEC --no-model (see: nexus build --help)",
                exit: .usage)
        }
        do { _ = try BuildArguments(parsing: slashWords) } catch {
            throw NexusError(error.userMessage, hint: "see: nexus build --help", exit: .usage)
        }
        // A scenario that does not exist would only fail the contract check after the whole gate ran.
        if let farm, let dir = FarmCommand.locate(ProcessEnvironment.current) {
            let known = FarmCommand.scenarios(dir)
            if !known.contains(farm) {
                throw NexusError(
                    "build: no farm scenario \(farm)", hint: "choose one of: \(known.joined(separator: ", "))",
                    exit: .usage)
            }
        }
    }

    /// The words after `/build`.
    var slashWords: [String] {
        var words: [String] = []
        if let docs { words += ["--docs", docs] }
        if let name { words += ["--name", name] }
        for c in credentials { words += ["--credential", c] }
        if let openapi { words += ["--openapi", openapi] }
        if let operations { words += ["--operations", operations] }
        if let baseURL { words += ["--base-url", baseURL] }
        if noModel { words.append("--no-model") }
        if let farm { words += ["--farm", farm] }
        if description.contains(where: { $0.hasPrefix("--") }) { words.append("--") }
        words += description
        return words
    }

    /// Single-quoted for `SlashCommandLine` (`'it'"'"'s'` for a quote inside).
    static func quote(_ s: String) -> String {
        let plain = !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || "-_.,:/@=+%".contains($0) }
        if plain { return s }
        return "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\"'\"'") + "'"
    }

    func run() async throws {
        try checkArguments()
        let ctx = try global.openContext()
        let color = Terminal.stdoutIsTTY && ctx.environment["NO_COLOR"] == nil && ctx.config.ui.color != .never
        let renderer = EventRenderer(style: json ? .json : .text, color: color && !json)
        let source: any LineSource =
            Terminal.stdinIsTTY ? EditLineSource(historyPath: nil) : PipedLineSource(fd: 0)
        let interaction = LineInteraction(policy: yes ? .yes : approve, source: source)
        let parts = try await SessionFactory.make(context: ctx, interaction: interaction)
        let status = await LineModeApp(
            session: parts.orchestrator, source: source, renderer: renderer, interactive: false
        )
        .runOnce(slashLine)
        await SessionFactory.shutdown(parts)
        let final = interaction.anyDenied && status == .success ? ExitStatus.approvalNeeded : status
        if final != .success { throw ExitCode(final.rawValue) }
    }
}
