import ArgumentParser
import NexusCore
import NexusEvolution
import NexusOrchestrator
import NexusPOSIX

/// `nexus modules validate PATH [--json]`: wiring only; the gate is NexusEvolution's `ModuleGate`.
struct ModulesValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Run the module gate (syntax, policy, manifest, protocol, tests, mutants) on a folder.",
        discussion: """
            Works on a copy in a scratch directory, in the sandbox (validate mode); the folder is never \
            changed. Exit status: 0 every check passed, 1 a check failed, 2 PATH is not a folder.
            The contract check runs against a farm scenario: the one --farm names, else the one a module \
            generated from OpenAPI matches (its spec's path, text or base URL); other modules skip it.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A module folder (manifest.json, adapter.py, tests).") var path: String
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: ArgumentHelp("Run the contract check against this farm scenario.", valueName: "scenario"))
    var farm: String?

    func run() async throws {
        let ctx = try global.openContext()
        guard let templates = GateTemplates.locate(environment: ctx.environment) else {
            throw NexusError(
                "modules validate: templates/python/gate not found", hint: "set NEXUS_TEMPLATES to templates/python")
        }
        if let farm {
            let scenarios = FarmCommand.locate(ctx.environment).map(FarmCommand.scenarios) ?? []
            guard scenarios.contains(farm) else {
                throw NexusError(
                    "modules validate: no farm scenario \(farm)",
                    hint: scenarios.isEmpty
                        ? "run from the repository, or set NEXUS_FARM to its farm folder"
                        : "choose one of: \(scenarios.joined(separator: ", "))", exit: .usage)
            }
        }
        let gate = ModuleGate(
            nexusExecutable: SelfExecutable.path, templatesDirectory: templates, home: ctx.paths.home,
            config: global.config, sandboxConfig: ctx.config.sandbox,
            contract: FarmContract.hook(
                farm: FarmCommand.locate(ctx.environment), launcher: ModuleLaunchers.make(ctx),
                path: ctx.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", templates: templates, scenario: farm))
        let outcome = await ValidateCommand.run(path: path, json: json, gate: gate)
        if !outcome.stdout.isEmpty { Terminal.out(outcome.stdout) }
        if !outcome.stderr.isEmpty { Terminal.err(outcome.stderr) }
        ProcessControl.exit(outcome.exit.rawValue)
    }
}
