import NexusCore

/// A small JSON Schema (2020-12 subset) validator: enough to hold a manifest to docs/manifest.schema.json
/// and a tool's `inputSchema` to the shape MCP requires, without a package dependency.
///
/// Supported keywords: type, required, properties, additionalProperties, propertyNames, items, enum,
/// const, minLength, maxLength, pattern, minimum, maximum, minItems, maxItems, not, anyOf, allOf and
/// local `$ref` ("#/$defs/name"). Unknown keywords are ignored (as the standard says). Each problem
/// names its JSON path.
struct JSONSchemaCheck {
    let root: JSONValue

    static func problems(_ value: JSONValue, against schema: JSONValue, path: String = "") -> [String] {
        var out: [String] = []
        JSONSchemaCheck(root: schema).validate(value, schema, path, &out, depth: 0)
        return out
    }

    private func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: JSONValue? = root
        for part in ref.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    private func validate(_ v: JSONValue, _ s: JSONValue, _ path: String, _ out: inout [String], depth: Int) {
        guard let so = s.objectValue, depth < 64 else { return }
        let here = path.isEmpty ? "(top)" : path
        if let ref = so["$ref"]?.stringValue, let target = resolve(ref) {
            validate(v, target, path, &out, depth: depth + 1)
        }
        if let n = so["not"] {
            var inner: [String] = []
            validate(v, n, path, &inner, depth: depth + 1)
            if inner.isEmpty { out.append("\(here): \(v.serialized) is not allowed here") }
        }
        if let any = so["anyOf"]?.arrayValue, !any.isEmpty {
            var firstProblems: [String]?
            var matched = false
            for alt in any {
                var inner: [String] = []
                validate(v, alt, path, &inner, depth: depth + 1)
                if inner.isEmpty {
                    matched = true
                    break
                }
                if firstProblems == nil { firstProblems = inner }
            }
            if !matched { out += ["\(here): matches none of the allowed forms"] + (firstProblems ?? []).prefix(3) }
        }
        for alt in so["allOf"]?.arrayValue ?? [] { validate(v, alt, path, &out, depth: depth + 1) }
        if let t = so["type"] {
            let types = t.arrayValue?.compactMap(\.stringValue) ?? t.stringValue.map { [$0] } ?? []
            if !types.isEmpty && !types.contains(where: { Self.matches(v, type: $0) }) {
                out.append("\(here): expected \(types.joined(separator: " or ")), got \(v.kindName)")
                return
            }
        }
        if let c = so["const"], c != v { out.append("\(here): must be \(c.serialized)") }
        if let e = so["enum"]?.arrayValue, !e.contains(v) {
            out.append("\(here): \(v.serialized) is not one of \(e.map(\.serialized).joined(separator: ", "))")
        }
        if case .string(let str) = v { checkString(str, so, here, &out) }
        if case .number(let n) = v {
            if let m = so["minimum"]?.doubleValue, n < m { out.append("\(here): \(v.serialized) is below \(m)") }
            if let m = so["maximum"]?.doubleValue, n > m { out.append("\(here): \(v.serialized) is above \(m)") }
        }
        if case .array(let items) = v {
            if let m = so["minItems"]?.intValue, items.count < m { out.append("\(here): needs at least \(m) items") }
            if let m = so["maxItems"]?.intValue, items.count > m { out.append("\(here): allows at most \(m) items") }
            if let itemSchema = so["items"] {
                for (i, item) in items.enumerated() {
                    validate(item, itemSchema, "\(path)[\(i)]", &out, depth: depth + 1)
                }
            }
        }
        if case .object(let o) = v { checkObject(o, so, path, &out, depth: depth) }
    }

    private func checkString(_ str: String, _ so: JSONObject, _ here: String, _ out: inout [String]) {
        if let m = so["minLength"]?.intValue, str.count < m {
            out.append(m == 1 ? "\(here): must not be empty" : "\(here): shorter than \(m) characters")
        }
        if let m = so["maxLength"]?.intValue, str.count > m { out.append("\(here): longer than \(m) characters") }
        // A pattern Swift cannot compile (ECMA-262 only) is not checked; the other keywords still are.
        if let p = so["pattern"]?.stringValue, let regex = try? Regex(p), (try? regex.firstMatch(in: str)) == nil {
            out.append("\(here): \(JSONValue.string(str).serialized) does not match \(p)")
        }
    }

    private func checkObject(_ o: JSONObject, _ so: JSONObject, _ path: String, _ out: inout [String], depth: Int) {
        let here = path.isEmpty ? "(top)" : path
        let prefix = path.isEmpty ? "" : path + "."
        for r in so["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where o[r] == nil {
            out.append("\(prefix)\(r): missing (required)")
        }
        let props = so["properties"]?.objectValue ?? JSONObject()
        for key in o.keys {
            guard let value = o[key] else { continue }
            if let names = so["propertyNames"] {
                validate(.string(key), names, "\(prefix)\(key) (name)", &out, depth: depth + 1)
            }
            if let ps = props[key] {
                validate(value, ps, prefix + key, &out, depth: depth + 1)
            } else if let extra = so["additionalProperties"] {
                if extra == .bool(false) {
                    out.append("\(here): unknown key \(JSONValue.string(key).serialized)")
                } else {
                    validate(value, extra, prefix + key, &out, depth: depth + 1)
                }
            }
        }
    }

    static func matches(_ v: JSONValue, type: String) -> Bool {
        switch (type, v) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .number):
            return true
        case ("integer", .number(let n)): return n.rounded() == n
        default: return false
        }
    }
}
