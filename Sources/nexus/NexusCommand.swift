import ArgumentParser
import NexusCore
import NexusOrchestrator

/// `nexus`: the TUI on a terminal, line mode otherwise; subcommands for everything scriptable (DESIGN §4.1).

struct NexusCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "nexus",
        abstract: "A terminal agent that routes each task to the model that suits it and grows its own integrations.",
        version: version,
        subcommands: [SandboxCommand.self]
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        _ = try global.openContext()
        Terminal.out("nexus \(Self.version)\n")
    }
}
