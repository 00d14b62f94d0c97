import NexusCore

/// A tool as a module's server describes it in `tools/list`.
public struct MCPTool: Sendable, Equatable {
    public var name: String
    public var description: String
    public var inputSchema: JSONValue
    /// What `structuredContent` must look like (MCP 2025-06-18 and later); nil when the tool declares none.
    public var outputSchema: JSONValue?

    public init(name: String, description: String, inputSchema: JSONValue, outputSchema: JSONValue? = nil) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
    }

    /// Byte for byte (`ExactText`): a module writes this text, and `String`'s `==` would spend seconds putting the
    /// combining marks of a hostile description in canonical order each time a re-list is compared with the cache.
    public static func == (a: MCPTool, b: MCPTool) -> Bool {
        a.name.isExactly(b.name) && a.description.isExactly(b.description) && a.inputSchema == b.inputSchema
            && a.outputSchema == b.outputSchema
    }

    public var json: JSONValue {
        var o = JSONObject([
            ("name", .string(name)), ("description", .string(description)), ("inputSchema", inputSchema),
        ])
        if let outputSchema { o["outputSchema"] = outputSchema }
        return .object(o)
    }

    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, !name.isEmpty else { return nil }
        self.name = name
        self.description = json["description"]?.stringValue ?? ""
        let schema = json["inputSchema"] ?? ["type": "object", "properties": [:]]
        self.inputSchema = schema.objectValue == nil ? ["type": "object", "properties": [:]] : schema
        let output = json["outputSchema"]
        self.outputSchema = output?.objectValue != nil || output?.boolValue != nil ? output : nil
    }

    /// Why `name` is not a tool name MCP 2025-11-25 allows (1–128 characters of `A-Z a-z 0-9 _ . -`), or nil.
    /// Such a tool is never offered to the model: its name could not be namespaced back unambiguously,
    /// and a name with spaces, quotes or control characters is a way to smuggle text into a prompt.
    public static func nameProblem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        if bytes.isEmpty { return "the name is empty" }
        if bytes.count > 128 { return "the name is \(bytes.count) bytes long; at most 128 are allowed" }
        let allowed: (UInt8) -> Bool = { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2E
                || b == 0x2D
        }
        guard bytes.allSatisfy(allowed) else { return "the name may contain only A-Z, a-z, 0-9, '_', '.' and '-'" }
        return nil
    }
}

/// Things a connection reports on its own: the tool list changed, or the process went away.
public enum MCPNotice: Sendable, Equatable {
    case toolsListChanged
    case closed(MCPError)
}

/// Knobs for one connection.
public struct MCPLimits: Sendable, Equatable {
    /// Largest stdout frame accepted; a bigger one closes the connection.
    public var maxFrameBytes: Int
    public var handshakeTimeout: Double
    public var requestTimeout: Double
    /// Pages of `tools/list` followed at most (a server that loops its cursor is stopped here).
    public var maxToolPages: Int
    /// Tools taken from one module: the rest are left out, with a note in its log. Every tool is indexed for
    /// the picker at each session start, so 150,000 tools (well under the list's byte limit) cost the first
    /// turn of every session about 24 s.
    public var maxTools: Int
    /// How long the `server/discover` probe (MCP 2026-07-28) may wait before nexus falls back to `initialize`;
    /// 0 skips the probe. A legacy server that ignores the probe costs at most this much at start.
    public var discoverTimeout: Double

    public init(
        maxFrameBytes: Int = 16 << 20, handshakeTimeout: Double = 10, requestTimeout: Double = 30,
        maxToolPages: Int = 100, discoverTimeout: Double = 1, maxTools: Int = 5_000
    ) {
        self.maxTools = maxTools
        self.maxFrameBytes = maxFrameBytes
        self.handshakeTimeout = handshakeTimeout
        self.requestTimeout = requestTimeout
        self.maxToolPages = maxToolPages
        self.discoverTimeout = discoverTimeout
    }
}
