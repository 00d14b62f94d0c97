import NexusCore

/// Turns spec schemas into self-contained JSON Schemas for tool inputs: local `$ref`s resolved (nested),
/// `allOf` merged, cycles cut (a note says where) and refused only when a cycle runs through required
/// fields alone, since no finite value could match it. Enums, defaults, required lists, formats,
/// examples and descriptions are kept; spec-only keywords (`nullable`, `xml`, `discriminator`) dropped.
struct OpenAPISchemaResolver {
    let root: JSONValue
    /// Cycles cut, as notes for the proof.
    private(set) var notes: [String] = []
    static let maxDepth = 24

    init(root: JSONValue) { self.root = root }

    /// The value a local JSON pointer (`#/components/schemas/Pet`) names.
    func lookup(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#") else { return nil }
        var node = root
        for raw in ref.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let key = raw.replacing("~1", with: "/").replacing("~0", with: "~")
            let decoded = key.removingPercentEncodingLoosely()
            if case .array = node, let i = Int(decoded), let next = node[i] {
                node = next
                continue
            }
            guard let next = node[decoded] else { return nil }
            node = next
        }
        return node
    }

    /// Follows `$ref` chains on a non-schema object (parameter, requestBody, response).
    func deref(_ value: JSONValue) -> JSONValue {
        var v = value
        var hops = 0
        while let ref = v["$ref"]?.stringValue, hops < 16, let next = lookup(ref) {
            v = next
            hops += 1
        }
        return v
    }

    /// `chain[ref]` is true while every step since entering `ref` went through a required property.
    mutating func resolve(_ schema: JSONValue, pointer: String) throws(OpenAPIError) -> JSONValue {
        try resolve(schema, chain: [:], depth: 0, pointer: pointer)
    }

    private mutating func resolve(
        _ schema: JSONValue, chain: [String: Bool], depth: Int, pointer: String
    ) throws(OpenAPIError) -> JSONValue {
        guard case .object(let obj) = schema else { return schema.isNull ? .object(JSONObject()) : schema }
        if depth > Self.maxDepth { return .object(JSONObject([("description", "(nested too deep, cut)")])) }
        if let ref = obj["$ref"]?.stringValue {
            if let required = chain[ref] {
                if required { throw .impossibleSchema(pointer: ref) }
                let name = ref.split(separator: "/").last.map(String.init) ?? ref
                if !notes.contains(where: { $0.contains(ref) }) {
                    notes.append("$ref cycle at \(ref) cut (\(pointer)): the nested value is accepted as any object")
                }
                return .object(JSONObject([("type", "object"), ("description", .string("a \(name) (recursive)"))]))
            }
            guard let target = lookup(ref) else {
                notes.append("$ref \(ref) (\(pointer)) is not in this document: accepted as any value")
                return .object(JSONObject())
            }
            var next = chain
            next[ref] = true
            var resolved = try resolve(target, chain: next, depth: depth + 1, pointer: ref)
            if let d = obj["description"], case .object(var o) = resolved {
                o["description"] = d
                resolved = .object(o)
            }
            return resolved
        }
        var out = JSONObject()
        if let parts = obj["allOf"]?.arrayValue {
            for part in parts {
                let r = try resolve(part, chain: chain, depth: depth + 1, pointer: pointer + "/allOf")
                out = Self.merge(out, r.objectValue ?? JSONObject())
            }
        }
        let optional = chain.mapValues { _ in false }
        let required = Set(obj["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        for (key, value) in obj.pairs {
            switch key {
            case "allOf", "nullable", "xml", "discriminator", "externalDocs", "readOnly", "writeOnly", "deprecated":
                continue
            case "properties":
                var props = out["properties"]?.objectValue ?? JSONObject()
                for (name, sub) in value.objectValue?.pairs ?? [] {
                    let c = required.contains(name) ? chain : optional
                    props[name] = try resolve(sub, chain: c, depth: depth + 1, pointer: pointer + "/" + name)
                }
                out["properties"] = .object(props)
            case "items", "additionalProperties":
                out[key] =
                    case2(value) ? value : try resolve(value, chain: optional, depth: depth + 1, pointer: pointer)
            case "anyOf", "oneOf":
                let alts = try (value.arrayValue ?? []).map { (v: JSONValue) throws(OpenAPIError) -> JSONValue in
                    try resolve(v, chain: optional, depth: depth + 1, pointer: pointer)
                }
                out["anyOf"] = .array(alts)
            case "required":
                let merged = (out["required"]?.arrayValue ?? []) + (value.arrayValue ?? [])
                out["required"] = .array(Self.unique(merged))
            default:
                out[key] = value
            }
        }
        if out["type"] == nil, out["properties"] != nil { out["type"] = "object" }
        return .object(out)
    }

    private func case2(_ v: JSONValue) -> Bool { if case .bool = v { return true } else { return false } }

    /// allOf: properties and required lists united; the other keywords of later parts win.
    static func merge(_ a: JSONObject, _ b: JSONObject) -> JSONObject {
        var out = a
        for (k, v) in b.pairs {
            switch k {
            case "properties":
                var p = out["properties"]?.objectValue ?? JSONObject()
                for (n, s) in v.objectValue?.pairs ?? [] { p[n] = s }
                out["properties"] = .object(p)
            case "required":
                out["required"] = .array(unique((out["required"]?.arrayValue ?? []) + (v.arrayValue ?? [])))
            case "description" where out["description"] != nil:
                continue
            default: out[k] = v
            }
        }
        return out
    }

    static func unique(_ values: [JSONValue]) -> [JSONValue] {
        var seen: [JSONValue] = []
        for v in values where !seen.contains(v) { seen.append(v) }
        return seen
    }
}

extension StringProtocol {
    /// `%7B` → `{` (JSON pointers in refs may be percent-encoded); invalid escapes are kept as written.
    func removingPercentEncodingLoosely() -> String {
        var bytes: [UInt8] = []
        let u = Array(utf8)
        var i = 0
        while i < u.count {
            if u[i] == 0x25, i + 2 < u.count,
                let h = UInt8(String(decoding: u[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(h)
                i += 3
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
