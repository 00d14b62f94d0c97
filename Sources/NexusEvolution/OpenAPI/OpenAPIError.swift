import NexusCore

/// Why an OpenAPI document cannot become a module. Every case is a spec error: one line naming what and
/// where, exit 2, nothing written or installed (issue 15 "Bad input").
public enum OpenAPIError: UserFacingError, Equatable {
    case unreadable(path: String, reason: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case malformedJSON(path: String, line: Int, column: Int, problem: String)
    case malformedYAML(path: String, line: Int, column: Int, problem: String)
    case notAnObject(path: String)
    case unsupportedVersion(path: String, found: String)
    case noServer(path: String)
    case badBaseURL(String)
    /// The spec names a server (or token URL) that is neither public nor loopback.
    case nonPublicServer(path: String, url: String, reason: String)
    case impossibleSchema(pointer: String)
    case noOperations(path: String, reason: String)
    case remoteSpec(String)
    case unreachable(url: String, reason: String)

    public var userMessage: String {
        switch self {
        case .unreadable(let p, let r): return "openapi: cannot read \(p): \(r)"
        case .tooLarge(let p, _, let l):
            return "openapi: \(p) is larger than the \(l / (1 << 20)) MB limit for a spec"
        case .malformedJSON(let p, let l, let c, let m): return "openapi: \(p):\(l):\(c): malformed JSON: \(m)"
        case .malformedYAML(let p, let l, let c, let m): return "openapi: \(p):\(l):\(c): malformed YAML: \(m)"
        case .notAnObject(let p): return "openapi: \(p) is not an OpenAPI document (its top level is not an object)"
        case .unsupportedVersion(let p, let f):
            return "openapi: \(p) declares \(f); supported are OpenAPI 3.0, 3.1 and Swagger 2.0"
        case .noServer(let p): return "openapi: \(p) names no server (no servers, no host) and no --base-url was given"
        case .badBaseURL(let u): return "openapi: base URL \(u) is not an http(s) URL with a host"
        case .nonPublicServer(let p, let u, let r):
            return "openapi: \(p) names the server \(u), which is \(r), not a public or loopback address"
        case .impossibleSchema(let ptr):
            return "openapi: \(ptr) is a $ref cycle through required fields, so no finite value matches it"
        case .noOperations(let p, let r): return "openapi: \(p) yields no operation to generate: \(r)"
        case .remoteSpec(let u): return "openapi: \(u): spec URLs are not fetched by the generator"
        case .unreachable(let u, let r): return "openapi: cannot fetch \(u): \(r)"
        }
    }

    public var hint: String? {
        switch self {
        case .unreadable: return "give a readable OpenAPI file (JSON or YAML)"
        case .tooLarge: return "cut the spec down to the paths you need (or pass only those with --operations)"
        case .malformedJSON, .malformedYAML: return "fix the document at that line and column"
        case .notAnObject, .unsupportedVersion: return "give an OpenAPI 3.0/3.1 or Swagger 2.0 document"
        case .noServer, .badBaseURL: return "pass --base-url https://api.example.com/v1"
        case .nonPublicServer:
            return "if you mean that host, name it yourself: --base-url URL (a spec cannot grant it on its own)"
        case .impossibleSchema: return "make one of the fields in the cycle optional"
        case .noOperations: return "check --operations, or the spec's paths"
        case .remoteSpec: return "download it first (curl -o spec.yaml URL) and pass the file"
        case .unreachable: return "check the URL and your connection, or download the spec and pass the file"
        }
    }

    public var exitCode: ExitStatus { .usage }
}
