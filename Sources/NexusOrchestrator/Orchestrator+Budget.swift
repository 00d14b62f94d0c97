import NexusCore
import NexusStore

/// `/budget`, and spending by module for `/cost` and the cost pane (issue 16).
extension Orchestrator {
    nonisolated func registerBudgetCommands() throws {
        try commands.register(
            SlashCommand(name: "budget", summary: "Spending today and this session against the caps of [budget]") {
                [weak self] _ in
                SlashResult(await self?.budgetReport() ?? "")
            })
    }

    func budgetReport() -> String {
        BudgetReport.text(config: context.config.budget, ledger: ledger, session: sessionID)
    }

    /// `/cost`'s lines by module context (the modules whose tool results were in the prompt; "(none)"
    /// for calls with none), for this session or all time.
    func moduleCostLines(_ title: String, session: String?) -> [String] {
        var out = [title]
        // Display only: an unreadable ledger shows no rows, as `/cost`'s other sections do.
        let rows = (try? ledger.spentByModule(session: session)) ?? []
        if rows.isEmpty || rows.allSatisfy({ $0.key.isEmpty }) {
            out.append("  (no calls with a module's tool results)")
            return out
        }
        let w = rows.map { max($0.key.count, 6) }.max() ?? 6
        for r in rows {
            let key = r.key.isEmpty ? "(none)" : r.key
            out.append(
                "  \(key.padded(to: w))  \(r.callsColumn)  \(Self.money(r.costUSD))\(r.failedSuffix)"
            )
        }
        return out
    }

    /// Cost rows by module for the status snapshot (the TUI's cost pane).
    func moduleCostRows(session: String?) -> [StatusSnapshot.CostRow] {
        // Display only, like the snapshot's other cost rows: the next snapshot reads again.
        ((try? ledger.spentByModule(session: session)) ?? []).map {
            .init(
                key: $0.key.isEmpty ? "(none)" : $0.key, tokensIn: $0.tokensIn, tokensOut: $0.tokensOut,
                costUSD: $0.costUSD, estimated: $0.anyEstimated)
        }
    }
}
