import NexusCore

/// A tool as a module's server describes it in `tools/list`.
public struct MCPTool: Sendable, Equatable {
    public var name: String
    public var description: String
    public var inputSchema: JSONValue

    public init(name: String, description: String, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }

    public var json: JSONValue {
        ["name": .string(name), "description": .string(description), "inputSchema": inputSchema]
    }

    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, !name.isEmpty else { return nil }
        self.name = name
        self.description = json["description"]?.stringValue ?? ""
        let schema = json["inputSchema"] ?? ["type": "object", "properties": [:]]
        self.inputSchema = schema.objectValue == nil ? ["type": "object", "properties": [:]] : schema
    }
}

/// The answer to `tools/call`: text content joined for the model, and whether the tool reported an error.
public struct MCPToolResult: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public var structured: JSONValue?

    public init(text: String, isError: Bool, structured: JSONValue? = nil) {
        self.text = text
        self.isError = isError
        self.structured = structured
    }

    init(module: String, json: JSONValue) throws(MCPError) {
        guard let o = json.objectValue else {
            throw .badResponse(module: module, method: "tools/call", detail: "result is \(json.kindName), expected an object")
        }
        var parts: [String] = []
        for item in o["content"]?.arrayValue ?? [] {
            switch item["type"]?.stringValue {
            case "text": parts.append(item["text"]?.stringValue ?? "")
            case "image", "audio": parts.append("[\(item["type"]?.stringValue ?? "") \(item["mimeType"]?.stringValue ?? "")]")
            case "resource", "resource_link":
                parts.append(item["resource"]?["text"]?.stringValue ?? item["uri"]?.stringValue ?? item.serialized)
            default: parts.append(item.serialized)
            }
        }
        structured = o["structuredContent"]
        if parts.isEmpty, let s = structured { parts.append(s.serialized) }
        text = parts.joined(separator: "\n")
        isError = o["isError"]?.boolValue ?? false
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

    public init(maxFrameBytes: Int = 16 << 20, handshakeTimeout: Double = 10, requestTimeout: Double = 30, maxToolPages: Int = 100) {
        self.maxFrameBytes = maxFrameBytes
        self.handshakeTimeout = handshakeTimeout
        self.requestTimeout = requestTimeout
        self.maxToolPages = maxToolPages
    }
}
