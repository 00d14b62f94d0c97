import ArgumentParser
import NexusCore
import NexusOrchestrator
import NexusStore

/// `nexus budget`: spending today (all sessions, from the ledger) and in a session against the caps of
/// `[budget]`. The same text as `/budget` in a chat.
struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget", abstract: "Spending today and in the latest session against the caps of [budget].")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The session to show (default: the latest in the ledger).") var session: String?

    func run() async throws {
        let ctx = try global.openContext()
        let ledger = LedgerRepository(db: ctx.database)
        let shown = try session ?? ledger.latestSession()
        Terminal.out(BudgetReport.text(config: ctx.config.budget, ledger: ledger, session: shown) + "\n")
    }
}
