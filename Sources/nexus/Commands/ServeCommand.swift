import ArgumentParser
import NexusCore
import NexusREPL

/// `nexus serve`: the session without a face — providers, modules and the vault as for chat, and the admin
/// server (`/metrics`, `/healthz`, `/v1`) until SIGINT or SIGTERM. Approvals are refused: nobody is there
/// to answer them (issue 16; docs/observability.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run headless: modules and the admin API and /metrics on 127.0.0.1 until Ctrl-C or SIGTERM.")

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .long,
        help: ArgumentHelp("Port of the admin server (default [server] admin_port, 8003).", valueName: "port"))
    var adminPort: Int?

    func run() async throws {
        let ctx = try global.openContext()
        let interaction = LineInteraction(policy: .no, source: PipedLineSource(fd: 0))
        let parts = try await SessionFactory.make(
            context: ctx, interaction: interaction, adminPort: adminPort, serve: true)
        guard let running = parts.admin.withLock({ $0 }) else {
            await SessionFactory.shutdown(parts)
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        let host = running.server.host.contains(":") ? "[\(running.server.host)]" : running.server.host
        Terminal.err(
            "nexus serve: admin API on http://\(host):\(running.server.port) (token in \(ctx.paths.home)/admin.token);"
                + " Ctrl-C stops\n")
        await running.server.wait()
        let stopped = running.server.wasStopped  // read before shutdown, which stops the server itself
        await SessionFactory.shutdown(parts)
        // The front ended on its own (crashed, killed): the warning is printed; say so in the status too.
        if !stopped { throw ExitCode(ExitStatus.failure.rawValue) }
    }
}
