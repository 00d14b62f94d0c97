import NexusCore
import NexusStore

/// What has been spent against each cap of `[budget]`: the text of `nexus budget` and `/budget`, and the
/// short form the TUI's status bar shows. Today is the calendar day in UTC, from the ledger across every
/// session; a session's figure is its own rows.
public enum BudgetReport {
    public struct Line: Sendable, Equatable {
        public var label: String
        public var spentUSD: Double
        public var capUSD: Double?
    }

    /// One line per window: today, the session (when one is named), each route with a cap; per-turn has no
    /// spending outside a turn and is shown as its cap.
    public static func lines(config: BudgetConfig, ledger: LedgerRepository, session: String?) throws -> [Line] {
        let today = LedgerRepository.startOfDayUTC()
        var out = [Line(label: "today (UTC)", spentUSD: try ledger.spent(since: today), capUSD: config.dailyUSD)]
        if let session {
            out.append(
                Line(
                    label: "session \(session)", spentUSD: try ledger.grandTotal(session: session).costUSD,
                    capUSD: config.sessionUSD))
        }
        let byTask = Dictionary(
            try ledger.spentByTask(since: today).map { ($0.taskType, $0.costUSD) }, uniquingKeysWith: +)
        for (task, cap) in config.routes.sorted(by: { $0.key < $1.key }) {
            out.append(Line(label: "\(task.rawValue) today", spentUSD: byTask[task.rawValue] ?? 0, capUSD: cap))
        }
        return out
    }

    /// The whole report.
    public static func text(config: BudgetConfig, ledger: LedgerRepository, session: String?) -> String {
        var out = ["Budget (USD, [budget] in nexus.toml; a cap of 0 or none is no cap):"]
        do {
            let lines = try lines(config: config, ledger: ledger, session: session)
            let w = lines.map(\.label.count).max() ?? 0
            for l in lines {
                var row = "  \(l.label.padded(to: w))  \(money(l.spentUSD))"
                if let cap = l.capUSD {
                    let pct = Int((l.spentUSD / cap * 100).rounded())
                    row += " of \(Money.dollars(cap, decimals: 2))  (\(pct)%)" + (l.spentUSD >= cap ? "  OVER" : "")
                } else {
                    row += "  (no cap)"
                }
                out.append(row)
            }
        } catch {
            out.append("  the ledger could not be read: \(error)")
        }
        out.append(
            "  per turn: "
                + (config.perTurnUSD.map { Money.dollars($0, decimals: 2) + " (checked before each call)" } ?? "no cap")
        )
        out.append("  over a cap: \(config.onExceed.rawValue)" + (config.isActive ? "" : " (no cap is set)"))
        return out.joined(separator: "\n")
    }

    /// The status bar's form: "$0.12/$1.00 today", or the session's when only it is capped; nil with no cap.
    public static func statusLine(config: BudgetConfig, ledger: LedgerRepository, session: String) -> String? {
        guard config.isActive else { return nil }
        // A read only for display, every 2 s: an unreadable ledger shows $0 until the next snapshot; the guard
        // itself reads it again before each call and says so when it cannot.
        let today = (try? ledger.spent(since: LedgerRepository.startOfDayUTC())) ?? 0
        if let cap = config.dailyUSD { return "\(money(today))/\(Money.dollars(cap, decimals: 2)) today" }
        let spent = (try? ledger.grandTotal(session: session).costUSD) ?? 0
        if let cap = config.sessionUSD { return "\(money(spent))/\(Money.dollars(cap, decimals: 2)) session" }
        return "\(money(today)) today"
    }

    static func money(_ v: Double) -> String { v == 0 ? "$0" : Money.dollars(v, decimals: v < 1 ? 4 : 2) }
}
