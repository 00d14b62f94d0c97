import NexusCore

/// A module's `manifest.json` (DESIGN §4.3): the seed's fields plus how to run it, what it may reach,
/// which secrets it wants and how often it may be called.
///
/// The host decides everything about a module from this value: the command line, the network
/// allow-list handed to the launcher, the credentials it asks the vault for, and which tools need a
/// person's yes. `raw` keeps the document as written, so unknown keys survive a rewrite.
public struct ModuleManifest: Sendable, Equatable {
    /// How the module's process is started; only MCP over stdio exists today.
    public struct Runtime: Sendable, Equatable {
        public var protocolName: String
        public var command: [String]
        public init(protocolName: String = "mcp-stdio", command: [String]) {
            self.protocolName = protocolName
            self.command = command
        }
    }

    /// A secret the module needs, injected as environment variable `env`.
    public struct Credential: Sendable, Equatable {
        public var name: String
        public var env: String
        public var instructions: String?
        public init(name: String, env: String, instructions: String? = nil) {
            self.name = name
            self.env = env
            self.instructions = instructions
        }
    }

    public var name: String
    public var version: String
    public var category: String
    public var platform: String?
    public var displayName: String?
    public var description: String
    public var entryPoint: String?
    public var className: String?
    public var requiresAPIKey: Bool
    public var apiKeyInstructions: String?
    public var pythonDependencies: [String]
    public var testFile: String?
    public var healthStatus: String?
    public var createdBy: String?
    public var createdAt: String?
    public var buildProvider: String?
    public var validationResults: JSONValue?
    public var runtime: Runtime
    public var credentials: [Credential]
    public var networkAllow: [String]
    public var rateLimitPerMinute: Int?
    public var sensitiveTools: [String]
    public var sha256: String?
    /// Host paths the module may read or write (see ModuleManifest+RunTime).
    public var filesystem = FilesystemGrants()
    /// Settings that are not secret, passed to the process as environment variables.
    public var env: [String: String] = [:]
    /// Memory and CPU-time limits; nil fields take the configured defaults.
    public var limits = Limits()
    /// The document as parsed, unknown keys included.
    public var raw: JSONValue

    /// The file name inside a module folder.
    public static let fileName = "manifest.json"
    /// The only runtime protocol nexus speaks.
    public static let protocolMCPStdio = "mcp-stdio"

    /// Title shown in lists.
    public var title: String { displayName ?? name }
}

extension ModuleManifest {
    /// Parses and validates manifest text. `file` names the source in every error.
    public static func parse(_ bytes: [UInt8], file: String) throws(ManifestError) -> ModuleManifest {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw ManifestError(
                file: file, field: "", "not valid JSON at \(Self.place(error.offset, in: bytes)): \(error.message)")
        }
        return try ManifestValidator(file: file).validate(json)
    }

    /// `line 3, column 22` of a byte offset: where an editor shows it (a byte count is no place a person finds).
    static func place(_ offset: Int, in bytes: [UInt8]) -> String {
        var line = 1
        var column = 1
        for b in bytes.prefix(max(0, offset)) {
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
        return "line \(line), column \(column)"
    }

    public static func parse(_ text: String, file: String) throws(ManifestError) -> ModuleManifest {
        try parse(Array(text.utf8), file: file)
    }

    /// Reads `folder/manifest.json`, validates it, and checks that `entry_point` and `test_file` are files
    /// inside the folder (symbolic links resolved).
    public static func load(folder: String) throws(ManifestError) -> ModuleManifest {
        let file = folder + "/" + fileName
        let bytes: [UInt8]
        do {
            bytes = try ModuleFiles.read(file, limit: 1 << 20)
        } catch {
            throw ManifestError(file: file, field: "", error.userMessage)
        }
        let m = try parse(bytes, file: file)
        var issues: [ManifestError.Issue] = []
        if let ep = m.entryPoint, let problem = ModuleFiles.containedFileProblem(ep, in: folder) {
            issues.append(.init(field: "entry_point", message: problem))
        }
        if let tf = m.testFile, let problem = ModuleFiles.containedFileProblem(tf, in: folder) {
            issues.append(.init(field: "test_file", message: problem))
        }
        if !issues.isEmpty { throw ManifestError(file: file, issues: issues) }
        return m
    }

    /// The manifest as JSON with `sha256` set (or removed when nil), other keys kept in their order.
    public func json(withSHA256 digest: String?) -> JSONValue {
        guard case .object(var o) = raw else { return raw }
        o["sha256"] = digest.map { .string($0) }
        return .object(o)
    }
}
