/// A JSON document held in memory.
///
/// Every wire format NEXUS speaks (provider APIs, MCP frames, manifests, `--json` events) is JSON.
/// One small value type, parsed and written without Foundation, keeps start-up cheap and keeps key
/// order stable, so `--json` events always begin with `"type"` and snapshots do not flicker.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, index >= 0, index < a.count { return a[index] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var doubleValue: Double? { if case .number(let d) = self { return d } else { return nil } }
    public var intValue: Int? {
        if case .number(let d) = self, d.rounded() == d, abs(d) < 9.007e15 { return Int(d) }
        return nil
    }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }

    /// Strings are equal when their bytes are (`ExactText`): linear in their length, and what JSON means by equal.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x.isExactly(y)
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x == y
        default: false
        }
    }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// A short name of the value's kind, for error messages ("expected a string, got number").
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}

/// A JSON object that remembers the order its keys were inserted in. Keys are exact (`ExactText`): JSON compares
/// them as code points, and a key from outside costs time linear in its bytes to store or find.
public struct JSONObject: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var storage: [ExactText: JSONValue] = [:]

    public init() {}
    public init(_ pairs: [(String, JSONValue)]) {
        keys.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> JSONValue? {
        get { storage[ExactText(key)] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: ExactText(key)) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: ExactText(key)) != nil {
                keys.removeAll { $0.isExactly(key) }
            }
        }
    }

    /// Key/value pairs in insertion order.
    public var pairs: [(String, JSONValue)] { keys.map { ($0, storage[ExactText($0)] ?? .null) } }

    public static func == (a: JSONObject, b: JSONObject) -> Bool { a.storage == b.storage }
}
