import NexusCore
import NexusPOSIX

/// A module whose process is the fake MCP server: a folder with a manifest naming `nexus-fake-mcp
/// --script script.json` and the script beside it. The same folder installs into an in-process session
/// (where `PassThroughLauncher` runs the script in process) and into the built `nexus` (where it runs as
/// a real child), so one specification can say "this module" both ways.
public struct FakeMCPModule: Sendable {
    /// One credential the manifest declares: its vault name and the environment variable it arrives in.
    public struct Credential: Sendable {
        public var name: String
        public var env: String
        public init(name: String, env: String) {
            self.name = name
            self.env = env
        }
    }

    public var name: String
    public var script: FakeMCPScript
    /// `sensitive_tools` globs: calls to these ask for approval first.
    public var sensitiveTools: [String]
    public var credentials: [Credential]
    public var rateLimitPerMinute: Int

    public init(
        name: String, script: FakeMCPScript, sensitiveTools: [String] = [], credentials: [Credential] = [],
        rateLimitPerMinute: Int = 600
    ) {
        self.name = name
        self.script = script
        self.sensitiveTools = sensitiveTools
        self.credentials = credentials
        self.rateLimitPerMinute = rateLimitPerMinute
    }

    /// The manifest: a plain mcp-stdio module, no network, its command the built `nexus-fake-mcp`.
    public var manifest: JSONValue {
        [
            "name": .string(name), "version": "1.0.0", "category": "testing",
            "description": "A scripted fake MCP server.",
            "runtime": [
                "protocol": "mcp-stdio", "command": [.string(BuiltProducts.fakeMCP), "--script", "script.json"],
            ],
            "credentials": .array(credentials.map { ["name": .string($0.name), "env": .string($0.env)] }),
            "network": ["allow": []], "rate_limit_per_minute": .number(Double(rateLimitPerMinute)),
            "sensitive_tools": .array(sensitiveTools.map { .string($0) }),
        ]
    }

    /// Writes `NAME-src/manifest.json` and `NAME-src/script.json` under `directory`; returns the folder.
    @discardableResult
    public func writeFolder(in directory: String) -> String {
        let folder = directory + "/\(name)-src"
        write { () throws(FileSystemError) in try FileSystem.createDirectoryIfMissing(folder, mode: 0o755) }
        write(folder + "/manifest.json", manifest.pretty())
        write(folder + "/script.json", script.json.pretty())
        return folder
    }

    private func write(_ path: String, _ text: String) {
        write { () throws(FileSystemError) in try FileSystem.writeFile(path, Array(text.utf8)) }
    }

    /// A fixture that cannot be written stops the test run here, naming the path and the reason.
    private func write(_ step: () throws(FileSystemError) -> Void) {
        do { try step() } catch { preconditionFailure(error.userFacingDescription) }
    }
}
