import ArgumentParser
import NexusCore
import NexusLLM
import NexusOrchestrator
import NexusStore

/// `nexus models`: providers, whether they answer, the models they list, the model per task type;
/// `--cost` adds the ledger's totals. The same text as `/models` and `/cost`.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "Providers, reachability, listed models and the model per task type.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Show token and cost totals per session, provider, model and task type.") var cost = false

    func run() async throws {
        let ctx = try global.openContext()
        if cost {
            Terminal.out(CostReport.text(LedgerRepository(db: ctx.database)) + "\n")
            return
        }
        Terminal.out("Providers:\n")
        if ctx.config.providers.isEmpty { Terminal.out("  none configured — see `nexus doctor`\n") }
        for p in ctx.config.providers {
            var line = "  \(p.name) (\(p.kind.rawValue)) \(p.baseURL ?? "default endpoint")"
            if ConfigDecoder.isOnThisMachine(p) { line += "  local" }
            if let env = p.apiKeyEnv {
                line += (ctx.environment[env] ?? "").isEmpty ? "  \(env) NOT SET" : "  \(env) set"
            }
            Terminal.out(line + "\n")
            // A provider that cannot be built (no key) is skipped; `nexus doctor` names why.
            guard let client = try? ProviderFactory.make(config: p, environment: ctx.environment) else { continue }
            switch await Orchestrator.listModels(client, timeout: 3) {
            case .success(let models):
                Terminal.out(
                    "      reachable; models: \(models.isEmpty ? "(none listed)" : models.prefix(12).joined(separator: ", "))\n"
                )
            case .failure(let e):
                Terminal.out("      unreachable: \(e.userMessage)\n")
            }
        }
        Terminal.out("\nModel per task type:\n" + RouteReport.table(ctx) + "\n")
    }
}

/// Ledger totals as text (all sessions), for `nexus models --cost`.
enum CostReport {
    static func text(_ ledger: LedgerRepository) -> String {
        var out: [String] = []
        // Display only: an unreadable ledger shows no totals.
        if let t = try? ledger.grandTotal() {
            out.append(
                "All time: \(t.callsText), \(t.tokensIn) in, \(t.tokensOut) out, $\((t.costUSD * 10000).rounded() / 10000)"
            )
        }
        for (title, g) in [
            ("session", LedgerRepository.Grouping.session), ("provider", .provider), ("model", .model),
            ("task type", .taskType),
        ] {
            out.append("\nBy \(title):")
            // Display only, as above.
            let rows = (try? ledger.totals(by: g)) ?? []
            if rows.isEmpty { out.append("  (no calls)") }
            for r in rows {
                let cost = r.allLocal ? "$0 (local, free)" : "$\((r.costUSD * 10000).rounded() / 10000)"
                out.append("  \(r.key)  \(r.callsText)  \(r.tokensIn) in  \(r.tokensOut) out  \(cost)")
            }
        }
        return out.joined(separator: "\n")
    }
}
