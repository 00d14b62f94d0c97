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
            let (config, pending) = RouteCommand.acceptingKnownKinds(chain, config: ctx.config)
            let refs = try Orchestrator.parseChain(chain, config: config)
            try SettingsRepository(db: ctx.database).setRoute(task, refs)
            Terminal.out("\(taskType) → \(refs.map(\.description).joined(separator: " → "))\n")
            for p in pending {
                Terminal.err(RouteCommand.needsNote(p, task: taskType, chain: refs, config: ctx.config) + "\n")
            }
        }
    }

    /// A chain may name a built-in provider kind (`anthropic`, `openai`, `gemini`, `ollama`) that is
    /// not configured yet, typically because its key is not set: the route is kept, and a note says
    /// what the provider needs. Returns the config extended with those providers, and their kinds.
    static func acceptingKnownKinds(_ chain: String, config: NexusConfig) -> (NexusConfig, [ProviderKind]) {
        var extended = config
        var pending: [ProviderKind] = []
        for part in chain.split(separator: ",") {
            guard let ref = ModelRef(parsing: String(part)), config.provider(named: ref.provider) == nil,
                let kind = ProviderKind(rawValue: ref.provider), !pending.contains(kind)
            else { continue }
            extended.providers.append(ProviderConfig(name: kind.rawValue, kind: kind))
            pending.append(kind)
        }
        return (extended, pending)
    }

    /// What a route to a provider kind that is not configured needs before it can serve.
    static func needsNote(_ kind: ProviderKind, task: String, chain: [ModelRef], config: NexusConfig) -> String {
        let what =
            ConfigDecoder.keyVariable(for: kind).map {
                "set \($0) (nexus adds the \(kind.rawValue) provider when it is set)"
            }
            ?? "set OLLAMA_HOST, or add [providers.\(kind.rawValue)] to nexus.toml"
        var note = "note: provider \(kind.rawValue) is not configured yet: \(what); until then \(task) skips it"
        let configured = config.providers.first { p in !chain.contains { $0.provider == p.name } }
        if chain.allSatisfy({ config.provider(named: $0.provider) == nil }), let fallback = configured,
            let model = fallback.models.first
        {
            note +=
                "\n  keep a fallback meanwhile: nexus route set \(task) "
                + chain.map(\.description).joined(separator: ",") + ",\(fallback.name):\(model)"
        }
        return note
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Return a task type (or all) to nexus.toml's routing.")
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
            Terminal.out(
                (taskType.map { "\($0) follows nexus.toml again" } ?? "all task types follow nexus.toml again") + "\n")
        }
    }
}

/// The routing table as text, shared by `nexus route` and `nexus models`.
enum RouteReport {
    static func table(_ ctx: NexusContext) -> String {
        // Display only: unreadable overrides show as none; `route set` reports write errors.
        let overrides = (try? SettingsRepository(db: ctx.database).routeOverrides()) ?? [:]
        let routes = RouteTable(config: ctx.config, overrides: overrides)
        let rows = routes.all()
        let w = rows.map(\.0.rawValue.count).max() ?? 0
        return rows.map { t, chain, source in
            let name = t.rawValue.padded(to: w)
            let tier = ctx.config.tier(for: t).rawValue
            let models = chain.isEmpty ? "(none)" : chain.map(\.description).joined(separator: " → ")
            let note =
                source == .override
                ? "   (set by /model or nexus route set)" : source == .fallbackDefault ? "   (default)" : ""
            return "  \(name)  \(tier.padded(to: 9))\(models)\(note)"
        }.joined(separator: "\n")
    }
}
