import NexusCore
import NexusPOSIX
import NexusStore

/// Reads nexus.toml (when there is one) into a `NexusConfig` and applies environment overrides.
///
/// The only place that touches the config file: it decides what a missing, unreadable or misplaced
/// file means, then hands the bytes to `TOMLParser` and `ConfigDecoder`. No file at the default path
/// means defaults, never an error; a missing file named by `--config` / `NEXUS_CONFIG` is an error.
/// Every failure is a `ConfigError` (exit 2) naming the file, and the line when there is one.
///
///     let loaded = try ConfigLoader.load(paths: paths, environment: env)
///     loaded.warnings.forEach { Terminal.err("warning: \($0)\n") }
public enum ConfigLoader {
    public struct Loaded: Sendable {
        public var config: NexusConfig
        /// One line each, `FILE:LINE: unknown key ...`, to show once at start-up.
        public var warnings: [String]

        public init(config: NexusConfig, warnings: [String]) {
            self.config = config
            self.warnings = warnings
        }
    }

    /// nexus.toml is small; anything this large is not a config file.
    static let sizeLimit = 4 << 20

    public static func load(paths: NexusPaths, environment: [String: String]) throws -> Loaded {
        try load(file: paths.configFile, explicit: paths.configIsExplicit, environment: environment)
    }

    /// Loads `file`; `explicit` says the user named it (then a missing file is an error).
    public static func load(file: String, explicit: Bool, environment: [String: String]) throws(ConfigError)
        -> Loaded
    {
        if file.isEmpty {
            throw ConfigError(
                file: "--config / NEXUS_CONFIG", line: nil, key: nil, message: "expected a file path, got an empty one",
                hint: "name the file, or leave the option out to use the default")
        }
        switch FileSystem.kind(of: file) {
        case .missing:
            if explicit {
                throw ConfigError(
                    file: file, line: nil, key: nil, message: "no such file",
                    hint: "create it (nexus.toml.example documents every key) or drop --config / NEXUS_CONFIG")
            }
            return try decode(TOMLTable(), file: file, environment: environment)
        case .directory:
            throw ConfigError(
                file: file, line: nil, key: nil, message: "is a directory, expected a TOML file",
                hint: "point --config / NEXUS_CONFIG at the file itself, e.g. \(file)/nexus.toml")
        case .file, .other:
            break
        }
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(file, limit: sizeLimit)
        } catch {
            throw ConfigError(
                file: file, line: nil, key: nil, message: Self.reason(error, file: file),
                hint: error.hint ?? "check that the file is readable by this user")
        }
        return try load(bytes: bytes, file: file, environment: environment)
    }

    /// Decodes an in-memory document, e.g. one written by a test or by `nexus doctor`.
    public static func load(text: String, file: String, environment: [String: String]) throws(ConfigError) -> Loaded {
        try load(bytes: Array(text.utf8), file: file, environment: environment)
    }

    /// Decodes file contents already read; `file` names them in messages.
    public static func load(bytes: [UInt8], file: String, environment: [String: String]) throws(ConfigError)
        -> Loaded
    {
        let document: TOMLTable
        do {
            document = try TOMLParser.parse(bytes)
        } catch {
            throw ConfigError(file: file, error)
        }
        return try decode(document, file: file, environment: environment)
    }

    static func decode(_ document: TOMLTable, file: String, environment: [String: String]) throws(ConfigError)
        -> Loaded
    {
        let result = try ConfigDecoder.decode(document, source: file, environment: environment)
        return Loaded(config: result.config, warnings: result.warnings.map(\.description))
    }

    /// The file-system message without the path (the ConfigError already names it).
    static func reason(_ error: FileSystemError, file: String) -> String {
        let message = error.userMessage
        let prefix = file + ": "
        return message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message
    }
}
