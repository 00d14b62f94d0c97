import NexusCore

/// How much of a tool's parameter schema goes in front of a model. A module writes its schemas as it writes its
/// descriptions, and they are sent (and paid for) on every step of every turn the tool is offered: a 10 MB parameter
/// description, an enum of 100,000 values or a schema nested 200 levels deep would otherwise go whole. The walk keeps
/// what a real tool has (every schema of the picker's benchmark catalogues passes unchanged) and says in the schema's
/// own `description` what it left out, so the model knows the list is not whole.
///
/// Text is cut by `ToolBudget.cut` (by code points for one huge "character"); a value the tool compares (an enum
/// value, a property name) is left out rather than cut, since a cut value is one the tool would reject. Every key,
/// value and note spends the whole schema's budgets (`nodes`, `textCodePoints`), so no shape of schema — wide, deep,
/// many short keys — sends more than about that much text.
struct ToolSchemaBudget {
    /// Per parameter description or title, at any depth: a real one is a sentence or two.
    static let descriptionCharacters = 500
    /// Code points of all the schema's text together (keys, descriptions, values, notes): a real tool's schema is a
    /// few thousand. Once it is spent, nothing more is added.
    static let textCodePoints = 20_000
    /// Values of one `enum` (a country list has about 250; a longer one is a lookup the tool should do itself).
    static let enumValues = 100
    /// Items of any other array (`anyOf`, `examples`, `required`…) and keys of any one object (properties included).
    static let items = 100
    /// An enum value or a key (a property name) longer than this is left out: nobody passes such a value.
    static let valueCodePoints = 100
    /// Nested objects and arrays: a parameter schema is `properties` → schema → `items` → … a few levels deep.
    static let depth = 16
    /// Keys and values (of any kind) per tool: bounds the walk of a wide and deep schema.
    static let nodes = 1_000
    /// A string this short (a type, a format, a name) is never cut (it still spends the budgets).
    static let shortText = 64

    /// Keywords a schema object keeps first when it has more keys than `items`.
    static let keywords: Set<String> = [
        "type", "description", "title", "properties", "required", "items", "enum", "const", "default", "format",
        "minimum", "maximum", "minLength", "maxLength", "pattern", "anyOf", "oneOf", "allOf", "additionalProperties",
    ]

    private var nodesLeft = Self.nodes
    private var textLeft = Self.textCodePoints
    /// Set when a budget ran out and something was left out for it: said once, at the schema's root.
    private var spent = false
    /// What a `properties` map left out: said in the schema that holds it, never as a key among its parameters.
    private var carried: [String] = []

    /// `schema` within the limits above; unchanged when it is within them already.
    static func cut(_ schema: JSONValue) -> JSONValue {
        var walk = ToolSchemaBudget()
        var out = walk.value(schema, depth: 0)
        if walk.spent, case .object(var root) = out {
            let line =
                "schema over \(nodes) keys and values or \(textCodePoints) code points of text: the rest left out"
            note(line, in: &root)
            out = .object(root)
        }
        return ToolBytes.same(out, schema) ? schema : out
    }

    /// Whether there is budget for one more key or value; marks the schema as cut when there is not.
    private mutating func room() -> Bool {
        guard nodesLeft > 0, textLeft > 0 else {
            spent = true
            return false
        }
        nodesLeft -= 1
        return true
    }

    private mutating func value(_ v: JSONValue, depth: Int, first: Set<String> = keywords) -> JSONValue {
        switch v {
        case .null, .bool, .number: return v
        case .string(let s): return .string(text(s, what: "schema text"))
        case .array(let a):
            guard depth < Self.depth else { return .array([]) }
            var out: [JSONValue] = []
            for item in a.prefix(Self.items) {
                guard room() else { break }
                out.append(value(item, depth: depth + 1))
            }
            return .array(out)
        case .object(let o):
            guard depth < Self.depth else {
                return [
                    "description": .string(
                        "[nexus: schema nested deeper than \(Self.depth) levels; this part left out]")
                ]
            }
            return .object(object(o, depth: depth, first: first))
        }
    }

    /// One object: a schema (its keywords kept first when it has too many keys) or a `properties` map (`first`: the
    /// schema's required names).
    private mutating func object(_ o: JSONObject, depth: Int, first: Set<String>) -> JSONObject {
        let isSchema = first == Self.keywords
        var notes: [String] = []
        var keys = o.keys.filter { $0.unicodeScalars.count <= Self.valueCodePoints }
        if keys.count < o.count {
            notes.append("\(o.count - keys.count) keys over \(Self.valueCodePoints) code points")
        }
        if keys.count > Self.items {
            let leading = Set(keys.filter(first.contains).prefix(Self.items))
            let keep = leading.union(keys.filter { !leading.contains($0) }.prefix(Self.items - leading.count))
            notes.append("\(keys.count - keep.count) of \(keys.count) keys")
            keys = keys.filter(keep.contains)
        }
        let required = (o["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        var out = JSONObject()
        for key in keys {
            guard let v = o[key] else { continue }
            guard room() else { break }
            textLeft -= key.utf8.count
            switch (key, v) {
            case ("description", .string(let s)) where isSchema, ("title", .string(let s)) where isSchema:
                out[key] = .string(text(s, what: "parameter description"))
            case ("enum", .array(let values)) where isSchema:
                let (kept, left) = Self.enumCut(values)
                if left > 0 { notes.append("\(left) of \(values.count) enum values") }
                var sent: [JSONValue] = []
                for value in kept {
                    guard room() else { break }
                    textLeft -= value.stringValue?.utf8.count ?? 8
                    sent.append(value)
                }
                out[key] = .array(sent)
            case ("properties", .object) where isSchema:
                out[key] = value(v, depth: depth + 1, first: Set(required))
                notes += carried
                carried = []
            default:
                out[key] = value(v, depth: depth + 1)
            }
        }
        // A required parameter left out above is no longer required: the model could not send it.
        if let before = o["properties"]?.objectValue, let after = out["properties"]?.objectValue,
            after.count < before.count, out["required"] != nil
        {
            out["required"] = .array(required.filter { after[$0] != nil }.prefix(Self.items).map { .string($0) })
        }
        if !isSchema {
            carried += notes.map { "parameters: " + $0 }
        } else if !notes.isEmpty {
            let line = notes.joined(separator: "; ") + " left out"
            textLeft -= line.utf8.count
            Self.note(line, in: &out)
        }
        return out
    }

    /// An enum's first `enumValues` values that a tool could be sent (scalars, and strings of at most
    /// `valueCodePoints`), and how many were left out.
    static func enumCut(_ values: [JSONValue]) -> (kept: [JSONValue], left: Int) {
        var kept: [JSONValue] = []
        for v in values where kept.count < enumValues {
            switch v {
            case .string(let s) where s.unicodeScalars.count <= valueCodePoints: kept.append(v)
            case .null, .bool, .number: kept.append(v)
            default: continue
            }
        }
        return (kept, values.count - kept.count)
    }

    /// `s` cut to `descriptionCharacters` and to what is left of the text budget, which it spends; a short string is
    /// never cut, a long one once the budget is spent is left empty.
    private mutating func text(_ s: String, what: String) -> String {
        guard s.utf8.count > Self.shortText else {
            textLeft -= s.utf8.count
            return s
        }
        guard textLeft > 0 else {
            spent = true
            return ""
        }
        let cut = ToolBudget.cut(s, to: min(Self.descriptionCharacters, textLeft), what: what)
        textLeft -= min(cut.unicodeScalars.count, s.unicodeScalars.count)
        return cut
    }

    /// Appends a note the model reads to the schema's own description.
    static func note(_ text: String, in object: inout JSONObject) {
        let line = "[nexus: \(text)]"
        if let d = object["description"]?.stringValue, !d.isEmpty {
            object["description"] = .string(d + "\n" + line)
        } else {
            object["description"] = .string(line)
        }
    }
}
