import NexusCore
import NexusPOSIX
import Yams

// `nexus-yaml`: YAML on stdin → JSON on stdout, for OpenAPI builds (NexusEvolution's OpenAPIDocument runs it).
// Its own executable because Yams brings Foundation and ICU, which `nexus` keeps out of every chat's start-up.
// A YAML error is one line on stderr, `LINE:COLUMN: problem`, and exit 2; an empty document prints `null`.

/// Yams node → JSONValue: scalars by their resolved tag (null, bool, int, float, else string).
func convert(_ node: Node, depth: Int) -> JSONValue {
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

func fail(_ line: Int, _ column: Int, _ problem: String) -> Never {
    let text = "\(line):\(column): \(problem)\n"
    Descriptor.writeAll(2, Array(text.utf8))
    ProcessControl.exit(2)
}

var input: [UInt8] = []
var buffer = [UInt8](repeating: 0, count: 1 << 16)
while true {
    let n = Descriptor.read(0, into: &buffer)
    if n <= 0 { break }
    input += buffer[0..<n]
    if input.count > 64 << 20 { fail(1, 1, "the document is larger than 64 MB") }
}
let node: Node?
do {
    node = try Yams.compose(yaml: String(decoding: input, as: UTF8.self))
} catch let error as YamlError {
    switch error {
    case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _),
        .composer(let ctx, let problem, let mark, _):
        fail(mark.line, mark.column, ((ctx?.text).map { $0 + ": " } ?? "") + problem)
    default:
        fail(1, 1, "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable")
    }
} catch {
    fail(1, 1, "\(error)")
}
let json = (node.map { convert($0, depth: 0) } ?? .null).serialized + "\n"
if !Descriptor.writeAll(1, Array(json.utf8)) { ProcessControl.exit(1) }
