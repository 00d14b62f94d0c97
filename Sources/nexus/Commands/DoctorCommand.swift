import ArgumentParser
import NexusCore
import NexusDoctor

/// `nexus doctor`: what is configured, what is missing, how to fix it (the checks live in NexusDoctor).
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check config, home, database, providers, libraries and the sandbox.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let checks = try await Doctor.run(
            open: { try global.openContext() }, homeFlag: global.home, configFlag: global.config,
            environment: ProcessEnvironment.current)
        for c in checks { Terminal.out(c.line + "\n") }
        Terminal.out("\n" + Doctor.summary(checks) + "\n")
        if checks.contains(where: { $0.status == .fail }) { throw ExitCode(1) }
    }
}
