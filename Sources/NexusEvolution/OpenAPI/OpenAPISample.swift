import NexusCore

/// A value matching a schema, for the generated tests and the mock: the spec's example, default or first
/// enum value when it has one, else a plain value of the schema's type. Deterministic.
enum OpenAPISample {
    static func value(_ schema: JSONValue?, name: String = "", depth: Int = 0) -> JSONValue {
        guard let schema, case .object(let o) = schema else { return "sample" }
        if let e = o["example"] { return e }
        if let e = o["examples"]?.arrayValue?.first { return e }
        if let d = o["default"] { return d }
        if let e = o["enum"]?.arrayValue?.first { return e }
        if depth > 6 { return .null }
        var type = o["type"]?.stringValue
        if type == nil, case .array(let ts) = o["type"] ?? .null {
            type = ts.compactMap(\.stringValue).first { $0 != "null" }
        }
        if type == nil, let alt = o["anyOf"]?.arrayValue?.first { return value(alt, name: name, depth: depth + 1) }
        switch type ?? (o["properties"] != nil ? "object" : "string") {
        case "integer": return 7
        case "number": return 2.5
        case "boolean": return true
        case "array": return .array([value(o["items"], name: name, depth: depth + 1)])
        case "object":
            var out = JSONObject()
            for (k, v) in o["properties"]?.objectValue?.pairs ?? [] { out[k] = value(v, name: k, depth: depth + 1) }
            return .object(out)
        case "null": return .null
        default:
            switch o["format"]?.stringValue {
            case "date-time": return "2026-01-02T03:04:05Z"
            case "date": return "2026-01-02"
            case "email": return "someone@example.com"
            case "uuid": return "123e4567-e89b-12d3-a456-426614174000"
            case "uri", "url": return "https://example.com/x"
            default: return .string(name.isEmpty ? "sample" : "\(name)-1")
            }
        }
    }

    /// A path parameter's test value: its example, or one with characters that must be percent-encoded.
    static func pathValue(_ schema: JSONValue, name: String) -> JSONValue {
        if let e = schema["example"] ?? schema["default"] ?? schema["enum"]?[0] { return e }
        switch schema["type"]?.stringValue {
        case "integer": return 42
        case "number": return 4.5
        default: return .string("#\(name) 1")
        }
    }
}
