import NexusCore
import NexusStore

/// Reads nexus.toml (when there is one) into a `NexusConfig` and applies environment overrides.
/// No file at the default path means defaults, never an error.
public enum ConfigLoader {
    public struct Loaded: Sendable {
        public var config: NexusConfig
        public var warnings: [String]
    }

    public static func load(paths: NexusPaths, environment: [String: String]) throws -> Loaded {
        // Replaced by the TOML-backed loader (config branch).
        Loaded(config: NexusConfig(), warnings: [])
    }
}
