import NexusCore
import NexusStore
import Yams

/// An OpenAPI document read from JSON or YAML into `JSONValue`, with its dialect. YAML goes through Yams
/// (libyaml), never a hand-written parser; its nodes are converted to `JSONValue` here so nothing past this
/// file sees Yams.
public struct OpenAPIDocument: Sendable {
    public enum Dialect: String, Sendable {
        case swagger2 = "2.0"
        case openapi30 = "3.0"
        case openapi31 = "3.1"
    }

    /// Specs above this are refused before parsing (a 50 MB spec is an error, not a slow build).
    public static let maxBytes = 16 << 20

    public var root: JSONValue
    public var dialect: Dialect
    /// Where it came from, for messages.
    public var source: String

    public init(root: JSONValue, source: String) throws(OpenAPIError) {
        guard case .object = root else { throw .notAnObject(path: source) }
        if let v = root["openapi"]?.stringValue ?? root["openapi"]?.doubleValue.map({ String($0) }) {
            if v.hasPrefix("3.0") {
                dialect = .openapi30
            } else if v.hasPrefix("3.1") {
                dialect = .openapi31
            } else {
                throw .unsupportedVersion(path: source, found: "openapi \(v)")
            }
        } else if let v = root["swagger"]?.stringValue ?? root["swagger"]?.doubleValue.map({ String($0) }) {
            guard v == "2.0" || v == "2" else { throw .unsupportedVersion(path: source, found: "swagger \(v)") }
            dialect = .swagger2
        } else {
            throw .unsupportedVersion(path: source, found: "neither an \"openapi\" nor a \"swagger\" field")
        }
        self.root = root
        self.source = source
    }

    /// Parses text: JSON when it starts with `{`, YAML otherwise.
    public static func parse(_ text: String, source: String) throws(OpenAPIError) -> OpenAPIDocument {
        if text.utf8.count > maxBytes { throw .tooLarge(path: source, bytes: text.utf8.count, limit: maxBytes) }
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }
        let root: JSONValue
        if trimmed.first == "{" || trimmed.first == "[" {
            do { root = try JSONValue(parsing: text) } catch {
                let (line, column) = lineAndColumn(text, byteOffset: error.offset)
                throw .malformedJSON(path: source, line: line, column: column, problem: error.message)
            }
        } else {
            root = try yaml(text, source: source)
        }
        return try OpenAPIDocument(root: root, source: source)
    }

    /// Reads a file (size-checked before reading) and parses it. URLs are refused with a hint.
    public static func load(path: String) throws(OpenAPIError) -> OpenAPIDocument {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { throw .remoteSpec(path) }
        let text: String
        do throws(FileSystemError) { text = try FileSystem.readText(path, limit: maxBytes) } catch {
            if case .tooLarge = error { throw .tooLarge(path: path, bytes: maxBytes + 1, limit: maxBytes) }
            throw .unreadable(path: path, reason: error.userMessage)
        }
        return try parse(text, source: path)
    }

    static func lineAndColumn(_ text: String, byteOffset: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        for (i, b) in text.utf8.enumerated() {
            if i >= byteOffset { break }
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    static func yaml(_ text: String, source: String) throws(OpenAPIError) -> JSONValue {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw yamlError(error, source: source)
        } catch {
            throw .malformedYAML(path: source, line: 1, column: 1, problem: "\(error)")
        }
        guard let node else { throw .notAnObject(path: source) }
        return convert(node, depth: 0)
    }

    static func yamlError(_ error: YamlError, source: String) -> OpenAPIError {
        switch error {
        case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _),
            .composer(let ctx, let problem, let mark, _):
            let what = ((ctx?.text).map { $0 + ": " } ?? "") + problem
            return .malformedYAML(path: source, line: mark.line, column: mark.column, problem: what)
        default:
            let first = "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"
            return .malformedYAML(path: source, line: 1, column: 1, problem: first)
        }
    }

    /// Yams node → JSONValue: scalars by their resolved tag (null, bool, int, float, else string).
    static func convert(_ node: Node, depth: Int) -> JSONValue {
        if depth > JSONValue.maxDepth { return .null }
        switch node {
        case .scalar(let s):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return node.bool.map(JSONValue.bool) ?? .string(s.string)
            case Tag.Name.int.rawValue: return node.int.map { .number(Double($0)) } ?? .string(s.string)
            case Tag.Name.float.rawValue: return node.float.map(JSONValue.number) ?? .string(s.string)
            default: return .string(s.string)
            }
        case .mapping(let m):
            var obj = JSONObject()
            for (k, v) in m { obj[k.string ?? "\(k)"] = convert(v, depth: depth + 1) }
            return .object(obj)
        case .sequence(let seq):
            return .array(seq.map { convert($0, depth: depth + 1) })
        case .alias:
            return .null
        }
    }
}
