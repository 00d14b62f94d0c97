import NexusCore
import NexusPOSIX
import NexusStore

/// Reads the tool picker's benchmark fixtures: a JSON Lines catalogue of tools and a labelled query set.
///
/// The benchmark runs against files in bench/toolpicker/ so the lead's `nexus bench` and the tests measure the
/// same thing. Each catalogue line is `{"name", "description", "params": [{"name", "type", "description",
/// "required"}]}` and becomes a `ToolDefinition` with a JSON Schema; each query line is `{"query", "expected"}`.
public enum ToolCatalogFile {
    /// One labelled query: the turn's text and the name of the tool that should be picked for it.
    public struct LabelledQuery: Sendable, Equatable {
        public let query: String
        public let expected: String
        public init(query: String, expected: String) {
            self.query = query
            self.expected = expected
        }
    }

    public static func loadTools(path: String) throws(ToolCatalogError) -> [ToolDefinition] {
        var tools: [ToolDefinition] = []
        for (line, object) in try objects(path) {
            guard let name = object["name"]?.stringValue, !name.isEmpty else {
                throw .invalid(path: path, line: line, reason: "missing string field \"name\"")
            }
            let description = object["description"]?.stringValue ?? ""
            var properties = JSONObject()
            var required: [JSONValue] = []
            for param in object["params"]?.arrayValue ?? [] {
                guard let pname = param["name"]?.stringValue else {
                    throw .invalid(path: path, line: line, reason: "a parameter of \(name) has no \"name\"")
                }
                var schema = JSONObject()
                schema["type"] = .string(param["type"]?.stringValue ?? "string")
                if let d = param["description"]?.stringValue, !d.isEmpty { schema["description"] = .string(d) }
                properties[pname] = .object(schema)
                if param["required"]?.boolValue == true { required.append(.string(pname)) }
            }
            var schema = JSONObject()
            schema["type"] = "object"
            schema["properties"] = .object(properties)
            if !required.isEmpty { schema["required"] = .array(required) }
            tools.append(ToolDefinition(name: name, description: description, inputSchema: .object(schema)))
        }
        return tools
    }

    public static func loadQueries(path: String) throws(ToolCatalogError) -> [LabelledQuery] {
        var queries: [LabelledQuery] = []
        for (line, object) in try objects(path) {
            guard let q = object["query"]?.stringValue, let e = object["expected"]?.stringValue else {
                throw .invalid(path: path, line: line, reason: "expected string fields \"query\" and \"expected\"")
            }
            queries.append(LabelledQuery(query: q, expected: e))
        }
        return queries
    }

    static func objects(_ path: String) throws(ToolCatalogError) -> [(Int, JSONValue)] {
        let text: String
        do { text = try FileSystem.readText(path) } catch { throw .unreadable(path: path, reason: error.userMessage) }
        var out: [(Int, JSONValue)] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if raw.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            let value: JSONValue
            do { value = try JSONValue(parsing: String(raw)) } catch {
                throw .invalid(path: path, line: i + 1, reason: error.description)
            }
            guard value.objectValue != nil else {
                throw .invalid(path: path, line: i + 1, reason: "expected a JSON object, got \(value.kindName)")
            }
            out.append((i + 1, value))
        }
        return out
    }
}

/// A benchmark fixture that cannot be read or has a malformed line.
public enum ToolCatalogError: UserFacingError, Equatable {
    case unreadable(path: String, reason: String)
    case invalid(path: String, line: Int, reason: String)

    public var userMessage: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read tool catalogue: \(reason)"
        case .invalid(let path, let line, let reason): "\(path):\(line): \(reason)"
        }
    }

    public var hint: String? {
        switch self {
        case .unreadable: "check the path; the fixtures live in bench/toolpicker/"
        case .invalid: "each line must be one JSON object; regenerate with python3 bench/toolpicker/generate_catalog.py"
        }
    }
}
