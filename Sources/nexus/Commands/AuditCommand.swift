import ArgumentParser
import NexusCore
import NexusModules
import NexusStore

/// `nexus audit`: the audit trail — the vault's rows (store, retrieve, delete, rotate, bind, tampering)
/// and module lifecycle (install, upgrade, rollback, enable, disable, remove, approve, deny), oldest first.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail: vault access and module lifecycle, newest last.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "How many rows to show.") var limit = 50
    @Flag(help: "Only module lifecycle and approval rows.") var modules = false

    func run() async throws {
        let ctx = try global.openContext()
        let rows = try AuditRepository(db: ctx.database).recent(
            limit: max(1, limit), actions: modules ? ModuleAudit.actions : nil)
        if rows.isEmpty {
            Terminal.out("no audit rows yet\n")
            return
        }
        for r in rows {
            var line = "\(Self.time(r.at))  \(r.actor.padded(to: 8))  \(r.action.padded(to: 8))  \(r.target)"
            if let d = r.detail, !d.isEmpty { line += "  \(d)" }
            Terminal.out(TerminalText.escapingControls(line) + "\n")
        }
    }

    /// `2026-12-06 07:04:55Z` from Unix seconds, without Foundation.
    static func time(_ t: Double) -> String {
        let secs = Int(t)
        let days = secs / 86_400
        let rem = secs % 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d)) \(two(rem / 3600)):\(two(rem % 3600 / 60)):\(two(rem % 60))Z"
    }
}
