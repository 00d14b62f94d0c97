import NexusCore
import NexusPOSIX
import NexusStore

/// An OpenAPI document read from JSON or YAML into `JSONValue`, with its dialect. YAML is converted to JSON
/// by `nexus-yaml` (Yams, in its own executable), so nothing in `nexus` itself links Yams or Foundation.
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
            // The file system's message begins with the path, which the error names already.
            let message = error.userMessage
            let reason = message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
            throw .unreadable(path: path, reason: reason)
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

    /// YAML goes through Yams (libyaml), never a hand-written parser, but in its own small executable,
    /// `nexus-yaml`, built beside `nexus`: Yams imports Foundation, which would otherwise put Foundation and ICU
    /// (+57 MB) into the binary every chat starts (+0.5 ms start-up) for the few sessions that read a YAML spec.
    static func yaml(_ text: String, source: String) throws(OpenAPIError) -> JSONValue {
        let tool = YAMLTool.path
        guard FileSystem.isExecutable(tool) else {
            throw .unreadable(path: source, reason: "reading YAML needs \(tool) (built beside nexus by `swift build`)")
        }
        let r = Subprocess.run([tool], stdin: Array(text.utf8), environment: ["LANG": "C.UTF-8"], timeout: 60)
        // Not JSON: falls through to the YAML error below.
        if r.status == 0, let value = try? JSONValue(parsing: r.stdoutBytes) {
            if value == .null { throw .notAnObject(path: source) }
            return value
        }
        // `LINE:COLUMN: problem` on stderr (exit 2), as the tool reports a YAML error.
        let first = r.stderr.split(separator: "\n").first.map(String.init) ?? "exit status \(r.status)"
        let parts = first.split(separator: ":", maxSplits: 2).map(String.init)
        if parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]) {
            throw .malformedYAML(path: source, line: line, column: column, problem: parts[2].trimmingSpaces)
        }
        throw .malformedYAML(path: source, line: 1, column: 1, problem: r.timedOut ? "timed out" : first)
    }
}

/// Where `nexus-yaml` is: beside the running executable (`nexus`, or the test bundle in the same build folder).
enum YAMLTool {
    static var path: String {
        let me = ProcessControl.executablePath
        return String(me[..<(me.lastIndex(of: "/") ?? me.startIndex)]) + "/nexus-yaml"
    }
}
