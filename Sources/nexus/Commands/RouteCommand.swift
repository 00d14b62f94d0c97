import ArgumentParser
import NexusCore
import NexusOrchestrator
import NexusStore

/// `nexus route`: show or change which model serves each task type — the same store `/model` writes,
/// so a change here applies to the next call of every running and future session.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Show or set the model (or fallback chain) per task type.",
        subcommands: [Show.self, Set.self, Reset.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every task type with its tier and model chain.")
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            let ctx = try global.openContext()
            Terminal.out(RouteReport.table(ctx) + "\n")
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign PROVIDER:MODEL[,PROVIDER:MODEL...] to a task type (persists; nexus.toml is untouched).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task type, e.g. code_generation.") var taskType: String
        @Argument(help: "provider:model, or a comma-separated fallback chain.") var chain: String
        func run() async throws {
            let ctx = try global.openContext()
            let task = try Orchestrator.parseTaskType(taskType, config: ctx.config, mustExist: false)
            let refs = try Orchestrator.parseChain(chain, config: ctx.config)
            try SettingsRepository(db: ctx.database).setRoute(task, refs)
            Terminal.out("\(taskType) → \(refs.map(\.description).joined(separator: " → "))\n")
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Return a task type (or all) to nexus.toml's routing.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task type; omit to reset every one.") var taskType: String?
        func run() async throws {
            let ctx = try global.openContext()
            let settings = SettingsRepository(db: ctx.database)
            let task = try taskType.map {
                try Orchestrator.parseTaskType(
                    $0, config: ctx.config, overridden: Array(try settings.routeOverrides().keys), mustExist: true)
            }
            try settings.resetRoute(task)
            Terminal.out((taskType.map { "\($0) follows nexus.toml again" } ?? "all task types follow nexus.toml again") + "\n")
        }
    }
}

/// The routing table as text, shared by `nexus route` and `nexus models`.
enum RouteReport {
    static func table(_ ctx: NexusContext) -> String {
        let overrides = (try? SettingsRepository(db: ctx.database).routeOverrides()) ?? [:]
        let routes = RouteTable(config: ctx.config, overrides: overrides)
        let rows = routes.all()
        let w = rows.map(\.0.rawValue.count).max() ?? 0
        return rows.map { t, chain, source in
            let name = t.rawValue + String(repeating: " ", count: w - t.rawValue.count)
            let tier = ctx.config.tier(for: t).rawValue
            let models = chain.isEmpty ? "(none)" : chain.map(\.description).joined(separator: " → ")
            let note = source == .override ? "   (set by /model or nexus route set)" : source == .fallbackDefault ? "   (default)" : ""
            return "  \(name)  \(tier + String(repeating: " ", count: max(0, 9 - tier.count)))\(models)\(note)"
        }.joined(separator: "\n")
    }
}
