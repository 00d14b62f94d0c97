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
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A module folder (manifest.json, adapter.py, tests).") var path: String
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        let environment = ProcessEnvironment.current
        let paths = NexusPaths.resolve(homeFlag: global.home, configFlag: global.config, environment: environment)
        let loaded = try ConfigLoader.load(paths: paths, environment: environment)
        guard let templates = GateTemplates.locate(environment: environment) else {
            throw NexusError(
                "modules validate: templates/python/gate not found", hint: "set NEXUS_TEMPLATES to templates/python")
        }
        let gate = ModuleGate(
            nexusExecutable: SelfExecutable.path, templatesDirectory: templates, home: paths.home,
            config: global.config, sandboxConfig: loaded.config.sandbox)
        let outcome = await ValidateCommand.run(path: path, json: json, gate: gate)
        if !outcome.stdout.isEmpty { Terminal.out(outcome.stdout) }
        if !outcome.stderr.isEmpty { Terminal.err(outcome.stderr) }
        ProcessControl.exit(outcome.exit.rawValue)
    }
}
