import NexusCore
import NexusModules
import NexusStore

extension ToolRanking {
    /// The session's picker: semantic half per `[embeddings]`, usage prior per `[modules] usage_prior`, read from
    /// the call log in `database` (the one the module host records every call in).
    static func make(context: NexusContext) -> ToolRanking {
        ToolRanking(
            semantic: SemanticToolRanking.make(
                config: context.config.embeddings, environment: context.environment, database: context.database,
                home: context.paths.home),
            usage: usage(config: context.config.modules, database: context.database))
    }

    /// The call counts the usage prior reads; nil when `[modules] usage_prior = false`.
    static func usage(config: ModulesConfig, database: Database) -> ModuleUsage? {
        config.usagePrior ? ModuleUsage(registry: ModuleRegistry(database: database)) : nil
    }
}
