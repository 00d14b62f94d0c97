import NexusCore

/// Which model (or fallback chain) serves each task type right now.
///
/// Layers, highest first: run-time overrides (`/model`, `nexus route set`, kept in the database),
/// `[routing]` from nexus.toml, then a default: the `simple_query` route, else the first local
/// provider's first model. Privacy mode filters the result.
public struct RouteTable: Sendable {
    public var config: NexusConfig
    public var overrides: [TaskType: [ModelRef]]

    public init(config: NexusConfig, overrides: [TaskType: [ModelRef]]) {
        self.config = config
        self.overrides = overrides
    }

    public enum Source: String, Sendable {
        case override, config
        case fallbackDefault = "default"
    }

    /// The chain for `task` and where it came from.
    public func chain(for task: TaskType) -> (chain: [ModelRef], source: Source) {
        if let o = overrides[task], !o.isEmpty { return (o, .override) }
        if let c = config.routing[task], !c.isEmpty { return (c, .config) }
        if task != .simpleQuery, let c = overrides[.simpleQuery] ?? config.routing[.simpleQuery], !c.isEmpty {
            return (c, .fallbackDefault)
        }
        if let p = config.providers.first(where: { $0.autostart || $0.markedLocal }) ?? config.providers.first,
            let m = p.models.first
        {
            return ([ModelRef(provider: p.name, model: m)], .fallbackDefault)
        }
        return ([], .fallbackDefault)
    }

    /// Every task type with its chain, for `/route`, `/models` and the status snapshot.
    public func all() -> [(TaskType, [ModelRef], Source)] {
        config.taskTypes.map { t in
            let (c, s) = chain(for: t)
            return (t, c, s)
        }
    }
}
