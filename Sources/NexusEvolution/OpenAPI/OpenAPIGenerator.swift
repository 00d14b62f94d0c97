import NexusCore

/// What `nexus build --openapi` was asked (issue 15).
public struct OpenAPIOptions: Sendable, Equatable {
    public var name: String?
    /// Shell-style globs of tool names or operationIds; empty means "the first `cap`, GETs first".
    public var operations: [String]
    public var baseURL: String?
    public var cap: Int
    /// `--farm SCENARIO`: recorded in openapi_build.json for the gate's contract check.
    public var farm: String?

    public init(
        name: String? = nil, operations: [String] = [], baseURL: String? = nil, cap: Int = 40, farm: String? = nil
    ) {
        self.name = name
        self.operations = operations
        self.baseURL = baseURL
        self.cap = cap
        self.farm = farm
    }
}

/// Everything the writers need about the module to generate.
public struct OpenAPIModulePlan: Sendable {
    public var name: String
    public var title: String
    public var summary: String
    public var className: String
    public var baseURL: String
    public var schemes: [OpenAPISecurityScheme]
    public var operations: [OpenAPIOperation]
    /// Operations not generated (over the cap or not chosen), as `tool (METHOD path)`.
    public var leftOut: [String]
    public var notes: [String]
    public var cap: Int
    /// The model whose descriptions replaced the generated ones (nil: all generated).
    public var describedBy: String? = nil
    /// The generated description of each tool whose description a model replaced.
    public var generatedDescriptions: [String: String] = [:]
    /// The farm scenario the build named (`--farm`), for the contract check.
    public var farm: String? = nil

    /// `scheme://host[:port]` of the base URL.
    public var origin: String {
        let afterScheme = baseURL.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        return afterScheme.prefix(3).joined(separator: "/")
    }
    /// The base URL's path (`/v1`), empty for none.
    public var basePath: String { String(baseURL.dropFirst(origin.count)) }
    /// `host[:port]` of a URL.
    static func hostPort(_ url: String) -> String? {
        let parts = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[2].isEmpty else { return nil }
        let authority = parts[2].split(separator: "@").last.map(String.init) ?? ""
        if authority.hasSuffix(":443") && url.hasPrefix("https:") { return String(authority.dropLast(4)) }
        if authority.hasSuffix(":80") && url.hasPrefix("http:") { return String(authority.dropLast(3)) }
        return authority.isEmpty ? nil : authority
    }
    /// The schemes the generated operations use.
    public var usedSchemes: [OpenAPISecurityScheme] {
        let keys = Set(operations.flatMap(\.security))
        return schemes.filter { keys.contains($0.key) }
    }
    /// Hosts for network.allow: the API's and each token endpoint's (an IP literal keeps its port).
    public var hosts: [String] {
        var out: [String] = []
        for u in [baseURL] + usedSchemes.filter { $0.kind == .oauth2 }.map({ absolute($0.tokenURL) }) {
            if let h = Self.hostPort(u) {
                let bare = h.split(separator: ":").first.map(String.init) ?? h
                let isIP = bare.allSatisfy { $0.isNumber || $0 == "." } || bare == "localhost"
                let entry = isIP ? h : bare
                if !out.contains(entry) { out.append(entry) }
            }
        }
        return out
    }
    /// A relative token URL resolved against the API's origin.
    public func absolute(_ url: String) -> String {
        if url.isEmpty || url.hasPrefix("http://") || url.hasPrefix("https://") { return url }
        return origin + (url.hasPrefix("/") ? "" : "/") + url
    }
}

/// The deterministic OpenAPI → module generator (issue 15): no model, no network, the same files for the
/// same spec and options. Output is a build file set (manifest.json, adapter.py, test_adapter.py,
/// openapi_build.json) that goes through the same gate, proof and install as a model-written module.
public enum OpenAPIGenerator {
    public struct Output: Sendable {
        public var files: BuildFileSet
        public var plan: OpenAPIModulePlan
    }

    public static func generate(_ document: OpenAPIDocument, options: OpenAPIOptions) throws(OpenAPIError) -> Output {
        render(try makePlan(document, options: options), source: document.source)
    }

    /// The files of a plan (after `makePlan`, or after a model improved its descriptions).
    public static func render(_ plan: OpenAPIModulePlan, source: String) -> Output {
        var files = [
            BuildFile(path: "manifest.json", content: OpenAPIManifestWriter.write(plan).pretty() + "\n"),
            BuildFile(path: "adapter.py", content: OpenAPIAdapterWriter.write(plan)),
            BuildFile(path: "test_adapter.py", content: OpenAPITestWriter.write(plan)),
        ]
        files.append(
            BuildFile(path: "openapi_build.json", content: record(plan, source: source).pretty() + "\n"))
        return Output(files: BuildFileSet(files: files, notes: plan.notes.joined(separator: "\n")), plan: plan)
    }

    public static func makePlan(_ document: OpenAPIDocument, options: OpenAPIOptions) throws(OpenAPIError)
        -> OpenAPIModulePlan
    {
        var reader = OpenAPIReader(document)
        guard let base = options.baseURL.map(OpenAPIReader.trimSlash) ?? reader.baseURL() else {
            throw .noServer(path: document.source)
        }
        guard base.hasPrefix("http://") || base.hasPrefix("https://"), OpenAPIModulePlan.hostPort(base) != nil else {
            throw .badBaseURL(base)
        }
        let schemes = reader.securitySchemes()
        let all = try reader.operations(schemes: schemes)
        var chosen: [OpenAPIOperation]
        var leftOut: [OpenAPIOperation] = []
        if options.operations.isEmpty {
            let ordered = all.filter { $0.method == "GET" } + all.filter { $0.method != "GET" }
            chosen = Array(ordered.prefix(options.cap))
            leftOut = Array(ordered.dropFirst(options.cap))
        } else {
            chosen = all.filter { op in
                options.operations.contains {
                    Glob.matches($0, op.tool) || op.operationID.map(Glob.matches($0)) ?? false
                }
            }
            leftOut = all.filter { op in !chosen.contains { $0.tool == op.tool } }
        }
        if chosen.isEmpty {
            let why =
                all.isEmpty
                ? "it has no GET/POST/PUT/PATCH/DELETE operation with a JSON body" : "--operations matched none"
            throw .noOperations(path: document.source, reason: why)
        }
        let title = reader.title
        let name = options.name ?? String(OpenAPINaming.snake(title, maxLength: 40))
        let className =
            name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() + "Adapter"
        var notes = reader.notes + reader.resolver.notes
        var summary = "\(chosen.count) of \(all.count) operations generated (cap \(options.cap)"
        summary += options.operations.isEmpty ? ", GETs first)" : ", chosen by --operations)"
        if !leftOut.isEmpty {
            summary += "; left out: " + leftOut.prefix(20).map(\.tool).joined(separator: ", ")
            summary += leftOut.count > 20 ? ", … (all in openapi_build.json)" : ""
        }
        notes.append(summary)
        let used = Set(chosen.flatMap(\.security))
        var plan = OpenAPIModulePlan(
            name: name, title: title, summary: reader.summary, className: className, baseURL: base,
            schemes: schemes.values.filter { used.contains($0.key) }.sorted { $0.key < $1.key }, operations: chosen,
            leftOut: leftOut.map { "\($0.tool) (\($0.method) \($0.path))" }, notes: notes, cap: options.cap)
        plan.farm = options.farm
        try OpenAPIServerPolicy.check(
            spec: document.source, base: base, fromSpec: options.baseURL == nil,
            tokenURLs: plan.usedSchemes.filter { $0.kind == .oauth2 }.map { plan.absolute($0.tokenURL) })
        return plan
    }

    /// openapi_build.json: what was generated from what, for the proof (cap, left out, notes).
    static func record(_ plan: OpenAPIModulePlan, source: String) -> JSONValue {
        var o = JSONObject([
            ("generator", "nexus openapi 1"), ("spec", .string(source)), ("base_url", .string(plan.baseURL)),
            ("cap", .number(Double(plan.cap))), ("operations", .array(plan.operations.map { .string($0.tool) })),
            ("left_out", .array(plan.leftOut.map { .string($0) })), ("notes", .array(plan.notes.map { .string($0) })),
        ])
        if let farm = plan.farm { o["farm"] = .string(farm) }
        if let by = plan.describedBy {
            var changed = JSONObject()
            for op in plan.operations {
                guard let old = plan.generatedDescriptions[op.tool] else { continue }
                changed[op.tool] = ["generated": .string(old), "model": .string(op.description)]
            }
            o["descriptions"] = ["by": .string(by), "improved": .object(changed)]
        }
        return .object(o)
    }
}

/// Shell-style globs (`*`, `?`) for --operations.
enum Glob {
    static func matches(_ pattern: String) -> (String) -> Bool { { matches(pattern, $0) } }

    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.lowercased())
        let t = Array(text.lowercased())
        var pi = 0
        var ti = 0
        var star = -1
        var mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
