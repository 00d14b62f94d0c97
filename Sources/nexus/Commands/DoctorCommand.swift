import ArgumentParser
import NexusCore
import NexusOrchestrator

/// `nexus doctor`: what is configured, what is missing, how to fix it.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check config, home, database, providers, libraries and the sandbox.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let ctx: NexusContext
        var checks: [DoctorCheck]
        var databaseUsable = true
        do {
            ctx = try global.openContext()
            checks = Doctor.basicChecks(ctx)
        } catch {
            let d = try Doctor.degradedContext(
                homeFlag: global.home, configFlag: global.config, environment: ProcessEnvironment.current)
            (ctx, checks, databaseUsable) = (d.context, d.checks, d.databaseUsable)
        }
        checks += await SystemChecks.run(ctx, databaseUsable: databaseUsable)
        for c in checks { Terminal.out(c.line + "\n") }
        let failed = checks.filter { $0.status == .fail }.count
        let warned = checks.filter { $0.status == .warn }.count
        Terminal.out("\n\(checks.count) checks: \(checks.count - failed - warned) ok, \(warned) warn, \(failed) fail\n")
        if failed > 0 { throw ExitCode(1) }
    }
}
