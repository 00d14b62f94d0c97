import ArgumentParser
import NexusCore
import NexusOrchestrator

/// Options every subcommand shares: where state and config live.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("State directory (database, vault, modules, logs).", valueName: "dir"))
    var home: String?

    @Option(
        name: .long, help: ArgumentHelp("Config file (default $XDG_CONFIG_HOME/nexus/nexus.toml).", valueName: "file"))
    var config: String?

    /// Opens the context, printing config warnings to stderr.
    func openContext() throws -> NexusContext { try Self.openContext(home: home, config: config) }

    /// Opens the context for `--home` / `--config` values, printing config warnings to stderr.
    static func openContext(home: String?, config: String?) throws -> NexusContext {
        let ctx = try NexusContext.open(homeFlag: home, configFlag: config, environment: ProcessEnvironment.current)
        for w in ctx.warnings { Terminal.warn(w) }
        return ctx
    }
}
