import NexusCore

/// What `/build` and `nexus build` were asked, parsed from one argument list so the two are one
/// implementation: `DESCRIPTION... [--docs FILE] [--name NAME] [--credential NAME=@FILE|env:VAR]...`.
public struct BuildArguments: Sendable, Equatable {
    public var description: String
    public var docsFile: String?
    public var name: String?
    /// Credential name → where its value comes from.
    public var credentials: [(name: String, source: CredentialSource)]
    /// `--openapi SPEC`: build from an OpenAPI document with the deterministic generator (issue 15).
    public var openapi: OpenAPIRequest?

    /// The OpenAPI options of a build
    /// (`--openapi SPEC [--operations GLOB,...] [--base-url URL] [--no-model] [--farm SCENARIO]`).
    public struct OpenAPIRequest: Sendable, Equatable {
        public var spec: String
        public var operations: [String] = []
        public var baseURL: String?
        public var noModel = false
        /// The farm scenario the gate's contract check runs against (else the one the spec matches).
        public var farm: String?

        public init(spec: String, operations: [String] = [], baseURL: String? = nil, noModel: Bool = false) {
            self.spec = spec
            self.operations = operations
            self.baseURL = baseURL
            self.noModel = noModel
        }
    }

    public enum CredentialSource: Sendable, Equatable {
        case file(String)
        case environment(String)
    }

    public static let usage =
        "/build DESCRIPTION [--docs FILE] [--name NAME] [--credential NAME=@FILE|env:VAR]"
        + " | /build --openapi SPEC [--name NAME] [--operations GLOB,...] [--base-url URL] [--no-model]"
        + " [--farm SCENARIO]"

    public static func == (a: BuildArguments, b: BuildArguments) -> Bool {
        a.description == b.description && a.docsFile == b.docsFile && a.name == b.name
            && a.credentials.map(\.name) == b.credentials.map(\.name)
            && a.credentials.map(\.source) == b.credentials.map(\.source) && a.openapi == b.openapi
    }

    public init(
        description: String, docsFile: String? = nil, name: String? = nil,
        credentials: [(String, CredentialSource)] = []
    ) {
        self.description = description
        self.docsFile = docsFile
        self.name = name
        self.credentials = credentials.map { (name: $0.0, source: $0.1) }
    }

    /// Parses the arguments after `/build`. Errors name the option and show the usage (exit 2).
    public init(parsing args: [String]) throws(NexusError) {
        var words: [String] = []
        var docs: String?
        var name: String?
        var creds: [(String, CredentialSource)] = []
        var openapi: OpenAPIRequest?
        var operations: [String] = []
        var baseURL: String?
        var noModel = false
        var farm: String?
        var i = 0
        func value(_ option: String) throws(NexusError) -> String {
            guard i + 1 < args.count else { throw Self.usageError("\(option) needs a value") }
            i += 1
            return args[i]
        }
        while i < args.count {
            let a = args[i]
            switch a {
            case "--docs": docs = try value(a)
            case "--name": name = try value(a)
            case "--credential": creds.append(try Self.credential(try value(a)))
            case "--openapi": openapi = OpenAPIRequest(spec: try value(a))
            case "--operations":
                operations += try value(a).split(separator: ",").map(String.init).filter { !$0.isEmpty }
            case "--base-url": baseURL = try value(a)
            case "--no-model": noModel = true
            case "--farm": farm = try value(a)
            case "--":
                words += args[(i + 1)...]
                i = args.count
            default:
                if a.hasPrefix("--") { throw Self.usageError("unknown option \(a)") }
                words.append(a)
            }
            i += 1
        }
        if var o = openapi {
            o.operations = operations
            o.baseURL = baseURL
            o.noModel = noModel
            o.farm = farm
            openapi = o
        } else if !operations.isEmpty || baseURL != nil || noModel || farm != nil {
            throw Self.usageError("--operations, --base-url, --no-model and --farm go with --openapi SPEC")
        }
        if let farm, !Self.isModuleName(farm) {
            throw Self.usageError("--farm \(farm): a scenario name is lowercase letters, digits and underscores")
        }
        var description = words.joined(separator: " ")
        if let o = openapi, description.isEmpty { description = Self.openAPIRequest(o.spec) }
        guard !description.isEmpty else {
            throw Self.usageError("say what to build, e.g. /build a module for the Open-Meteo forecast API")
        }
        if let name, !Self.isModuleName(name) {
            throw Self.usageError(
                "--name \(name): use lowercase letters, digits and underscores, starting with a letter")
        }
        self.init(description: description, docsFile: docs, name: name, credentials: creds)
        self.openapi = openapi
    }

    static func credential(_ spec: String) throws(NexusError) -> (String, CredentialSource) {
        guard let eq = spec.firstIndex(of: "=") else {
            throw usageError("--credential \(spec): expected NAME=@FILE or NAME=env:VAR")
        }
        let name = String(spec[..<eq])
        let source = spec[spec.index(after: eq)...]
        if name.isEmpty { throw usageError("--credential \(spec): the credential name is empty") }
        if source.hasPrefix("@"), source.count > 1 { return (name, .file(String(source.dropFirst()))) }
        if source.hasPrefix("env:"), source.count > 4 { return (name, .environment(String(source.dropFirst(4)))) }
        throw usageError("--credential \(name)=…: give the value as @FILE or env:VAR, never inline")
    }

    static func isModuleName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, ("a"..."z").contains(f), s.utf8.count <= 64 else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The request an OpenAPI build records: the spec's last two path parts first, so builds of different
    /// specs differ within the `modules builds` list's 60 characters, then the spec whole.
    static func openAPIRequest(_ spec: String) -> String {
        let parts = spec.split(separator: "/").filter { !$0.isEmpty && !$0.hasSuffix(":") }
        let short = parts.suffix(2).joined(separator: "/")
        return short == spec ? "OpenAPI \(spec)" : "OpenAPI \(short) (\(spec))"
    }

    static func usageError(_ problem: String) -> NexusError {
        NexusError("build: \(problem)", hint: "usage: \(usage)", exit: .usage)
    }
}
