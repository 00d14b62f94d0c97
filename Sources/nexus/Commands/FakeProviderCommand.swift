import ArgumentParser
import NexusTesting

/// `nexus __fake-provider`: the scripted fake model server (all four wire protocols) out of process,
/// for end-to-end tests that drive the TUI under tmux. Hidden from help.
struct FakeProviderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "__fake-provider", abstract: "Serve a scripted fake model provider (testing).",
        shouldDisplay: false)

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func run() throws {
        throw ExitCode(FakeProviderServer.runFromCommandLine(args: arguments))
    }
}
