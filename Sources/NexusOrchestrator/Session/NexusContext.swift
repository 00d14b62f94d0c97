import NexusCore
import NexusPOSIX
import NexusStore

/// Everything a nexus process opens once at start: where things are, the effective config, the
/// database and the event bus. Every command and face starts from one of these.
public final class NexusContext: Sendable {
    public let paths: NexusPaths
    public let config: NexusConfig
    /// Config warnings (unknown keys with their line), shown once at start.
    public let warnings: [String]
    public let database: Database
    public let bus: EventBus
    public let environment: [String: String]

    public init(
        paths: NexusPaths, config: NexusConfig, warnings: [String], database: Database, bus: EventBus,
        environment: [String: String]
    ) {
        self.paths = paths
        self.config = config
        self.warnings = warnings
        self.database = database
        self.bus = bus
        self.environment = environment
    }

    /// Resolves paths, loads the config, creates the home (0700) and opens the database.
    public static func open(homeFlag: String?, configFlag: String?, environment: [String: String]) throws
        -> NexusContext
    {
        let environment = detectingLocalServers(environment)
        let paths = NexusPaths.resolve(
            homeFlag: homeFlag, configFlag: configFlag, environment: environment,
            workingDirectory: ProcessControl.currentDirectory)
        let loaded = try ConfigLoader.load(paths: paths, environment: environment)
        try prepareHome(paths)
        let db = try Database(path: paths.database)
        return NexusContext(
            paths: paths, config: loaded.config, warnings: loaded.warnings, database: db, bus: EventBus(),
            environment: environment)
    }

    /// `environment` plus what is found listening on this machine: a user's Ollama on its default port is
    /// detected (a loopback connect, microseconds) and preferred.
    public static func detectingLocalServers(_ environment: [String: String]) -> [String: String] {
        var environment = environment
        if environment["OLLAMA_HOST"] == nil, LocalModelServer.isListening(host: "127.0.0.1", port: 11434) {
            environment["OLLAMA_HOST"] = "127.0.0.1:11434"
        }
        return environment
    }

    /// Creates the home and its folders (0700) and checks this user can write there.
    public static func prepareHome(_ paths: NexusPaths) throws {
        do {
            try FileSystem.ensureDirectory(paths.home, mode: 0o700)
            try FileSystem.ensureDirectory(paths.logs, mode: 0o700)
            try FileSystem.ensureDirectory(paths.modules, mode: 0o700)
        } catch {
            throw NexusError(
                "home: \(error.userMessage)",
                hint: "choose a writable directory with --home or NEXUS_HOME", exit: .usage)
        }
        guard FileSystem.isWritableDirectory(paths.home) else {
            throw NexusError(
                "home \(paths.home): not readable and writable by this user",
                hint: "fix its permissions (chmod 700 \(paths.home)) or choose another with --home", exit: .usage)
        }
    }
}
