import NexusCore

/// Checks a tool's `structuredContent` against its `outputSchema` (MCP 2025-11-25: clients SHOULD validate).
///
/// A subset of JSON Schema, the part tool output schemas use: `type` (one or a list; "integer" is a
/// whole number), `properties`, `required`, `items`, `enum`, `additionalProperties` (false or a schema),
/// and the boolean schemas `true`/`false`. Other keywords are not checked (they pass). The answer is the
/// first mismatch with its path (`$.items[2].name`), because that is what the model needs to read.
/// Input is hostile: nesting deeper than `maxDepth` is reported, never recursed into, and the whole check has a
/// budget of `maxSteps` (a value visited, an `enum` value or a `required` name compared, each one step): a schema
/// and a result made to multiply (100,000 items each against an `enum` of 10,000) are reported as too large to
/// check instead of holding the call's task for minutes after the module answered.
public enum OutputSchemaCheck {
    public static let maxDepth = 64
    public static let maxSteps = 4_000_000

    /// Why `value` does not match `schema`, or nil when it does. A missing value is a mismatch: a tool that
    /// declares an output schema must return structured content.
    public static func problem(_ value: JSONValue?, schema: JSONValue) -> String? {
        guard let value else { return "no structuredContent, though the tool declares an outputSchema" }
        var steps = maxSteps
        return check(value, schema, path: "$", depth: 0, steps: &steps)
    }

    static func check(_ value: JSONValue, _ schema: JSONValue, path: String, depth: Int, steps: inout Int) -> String? {
        if let b = schema.boolValue { return b ? nil : "\(path): no value is allowed here" }
        guard let s = schema.objectValue else { return nil }
        if depth > maxDepth { return "\(path): nested deeper than \(maxDepth) levels" }
        let options = s["enum"]?.arrayValue
        steps -= 1 + (options?.count ?? 0)
        if steps < 0 { return "\(path): too large to check against the outputSchema (over \(maxSteps) steps)" }
        if let problem = checkType(value, s["type"], path: path) { return problem }
        if let options, !options.contains(value) {
            let shown = options.prefix(10).map { String($0.serialized.prefix(40)) }.joined(separator: ", ")
            return "\(path): \(String(value.serialized.prefix(60))) is not one of \(shown)"
        }
        if let o = value.objectValue {
            return checkObject(o, s, path: path, depth: depth, steps: &steps)
        }
        if let a = value.arrayValue, let items = s["items"] {
            for (i, item) in a.enumerated() {
                if let p = check(item, items, path: "\(path)[\(i)]", depth: depth + 1, steps: &steps) { return p }
            }
        }
        return nil
    }

    private static func checkObject(
        _ o: JSONObject, _ s: JSONObject, path: String, depth: Int, steps: inout Int
    ) -> String? {
        let required = s["required"]?.arrayValue ?? []
        steps -= required.count
        if steps < 0 { return "\(path): too large to check against the outputSchema (over \(maxSteps) steps)" }
        for name in required.compactMap(\.stringValue) where o[name] == nil {
            return "\(member(path, name)): required, but missing"
        }
        let properties = s["properties"]?.objectValue
        for (name, v) in o.pairs {
            if let sub = properties?[name] {
                if let p = check(v, sub, path: member(path, name), depth: depth + 1, steps: &steps) { return p }
            } else if let extra = s["additionalProperties"] {
                if extra.boolValue == false { return "\(member(path, name)): not an allowed property" }
                if let p = check(v, extra, path: member(path, name), depth: depth + 1, steps: &steps) { return p }
            }
        }
        return nil
    }

    private static func checkType(_ value: JSONValue, _ type: JSONValue?, path: String) -> String? {
        guard let type else { return nil }
        let allowed = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
        if allowed.isEmpty || allowed.contains(where: { matches(value, $0) }) { return nil }
        return "\(path): expected \(allowed.joined(separator: " or ")), found \(found(value))"
    }

    private static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch type {
        case "integer":
            if case .number(let d) = value { return d.isFinite && d.rounded() == d }
            return false
        case "number": return value.doubleValue != nil
        default: return value.kindName == type
        }
    }

    private static func found(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): "string \(JSONValue.string(String(s.prefix(40))).serialized)"
        case .number(let d): "number \(JSONValue.number(d).serialized)"
        default: value.kindName
        }
    }

    /// `$.name`, or `$["odd name"]` for a name that is not a plain identifier.
    private static func member(_ path: String, _ name: String) -> String {
        let plain =
            !name.isEmpty
            && name.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
            }
        return plain ? "\(path).\(name)" : "\(path)[\(JSONValue.string(String(name.prefix(60))).serialized)]"
    }
}
