import NexusCore

/// Reads an `OpenAPIDocument` into operations, security schemes and servers: the part of the generator
/// that knows the three dialects (Swagger 2.0, OpenAPI 3.0 and 3.1). Everything it skips is a note.
struct OpenAPIReader {
    let document: OpenAPIDocument
    var resolver: OpenAPISchemaResolver
    var notes: [String] = []

    static let methods = ["get", "post", "put", "patch", "delete"]

    init(_ document: OpenAPIDocument) {
        self.document = document
        self.resolver = OpenAPISchemaResolver(root: document.root)
    }

    var root: JSONValue { document.root }
    var title: String { root["info"]?["title"]?.stringValue ?? "API" }
    var summary: String {
        let d = root["info"]?["description"]?.stringValue ?? ""
        let first = d.split(separator: "\n").first.map(String.init) ?? ""
        return first.isEmpty
            ? "Tools for the \(title) API, generated from its OpenAPI document." : String(first.prefix(200))
    }

    /// The base URL from `servers` (variables filled with their defaults) or `host` + `basePath`.
    func baseURL() -> String? {
        if document.dialect == .swagger2 {
            guard let host = root["host"]?.stringValue, !host.isEmpty else { return nil }
            let schemes = root["schemes"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let scheme = schemes.contains("https") ? "https" : (schemes.first ?? "https")
            let base = root["basePath"]?.stringValue ?? ""
            return Self.trimSlash("\(scheme)://\(host)\(base)")
        }
        guard let server = root["servers"]?[0], var url = server["url"]?.stringValue else { return nil }
        for (name, v) in server["variables"]?.objectValue?.pairs ?? [] {
            let value = v["default"]?.stringValue ?? v["enum"]?[0]?.stringValue ?? ""
            url = url.replacing("{\(name)}", with: value)
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { return nil }
        return Self.trimSlash(url)
    }

    static func trimSlash(_ s: String) -> String {
        var s = s
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    // MARK: security

    func securitySchemes() -> [String: OpenAPISecurityScheme] {
        let defs = document.dialect == .swagger2 ? root["securityDefinitions"] : root["components"]?["securitySchemes"]
        var out: [String: OpenAPISecurityScheme] = [:]
        for (key, raw) in defs?.objectValue?.pairs ?? [] {
            let s = resolver.deref(raw)
            let snake = OpenAPINaming.snake(key)
            let type = s["type"]?.stringValue ?? ""
            var scheme = OpenAPISecurityScheme(
                key: key, kind: .apiKey, location: "header", parameter: "", tokenURL: "", scopes: [],
                credentials: [snake])
            switch type {
            case "apiKey":
                scheme.location = s["in"]?.stringValue ?? "header"
                scheme.parameter = s["name"]?.stringValue ?? key
            case "basic":
                scheme.kind = .basic
            case "http":
                let how = (s["scheme"]?.stringValue ?? "").lowercased()
                if how == "basic" {
                    scheme.kind = .basic
                } else if how == "bearer" {
                    scheme.kind = .bearer
                } else {
                    continue
                }
            case "oauth2":
                var flow = s["flows"]?["clientCredentials"]
                if flow == nil, s["flow"]?.stringValue == "application" { flow = s }
                guard let flow, let url = flow["tokenUrl"]?.stringValue else { continue }
                scheme.kind = .oauth2
                scheme.tokenURL = url
                scheme.scopes = flow["scopes"]?.objectValue?.keys ?? []
            default:
                continue
            }
            switch scheme.kind {
            case .basic: scheme.credentials = [snake + "_username", snake + "_password"]
            case .oauth2: scheme.credentials = [snake + "_client_id", snake + "_client_secret"]
            default: break
            }
            out[key] = scheme
        }
        return out
    }

    /// The scheme keys an operation uses: its first security requirement that names only known schemes.
    func security(of op: JSONValue, known: [String: OpenAPISecurityScheme]) -> [String] {
        let reqs = (op["security"] ?? root["security"])?.arrayValue ?? []
        for req in reqs {
            let keys = req.objectValue?.keys ?? []
            if keys.isEmpty { return [] }
            if keys.allSatisfy({ known[$0] != nil }) { return keys }
        }
        return []
    }

    // MARK: operations

    mutating func operations(schemes: [String: OpenAPISecurityScheme]) throws(OpenAPIError) -> [OpenAPIOperation] {
        var out: [OpenAPIOperation] = []
        var taken: Set<String> = []
        var ids: [String: String] = [:]
        for (path, rawItem) in root["paths"]?.objectValue?.pairs ?? [] {
            let item = resolver.deref(rawItem)
            for method in Self.methods {
                guard let op = item[method], case .object = op else { continue }
                let place = "\(method.uppercased()) \(path)"
                let id = op["operationId"]?.stringValue
                var name = id.map { OpenAPINaming.snake($0) } ?? OpenAPINaming.fromMethodAndPath(method, path)
                if let id, let other = ids[id] {
                    notes.append("operationId \(id) is used by \(other) and \(place): the second is renamed")
                } else if let id {
                    ids[id] = place
                }
                let before = name
                name = OpenAPINaming.unique(name, in: &taken)
                if name != before, id.map({ ids[$0] == place }) ?? true {
                    notes.append("tool name \(before) (\(place)) collides with another: named \(name)")
                }
                guard
                    let built = try operation(op, item: item, method: method, path: path, tool: name, schemes: schemes)
                else {
                    taken.remove(name)
                    continue
                }
                out.append(built)
            }
        }
        return out
    }

    private mutating func operation(
        _ op: JSONValue, item: JSONValue, method: String, path: String, tool: String,
        schemes: [String: OpenAPISecurityScheme]
    ) throws(OpenAPIError) -> OpenAPIOperation? {
        let place = "\(method.uppercased()) \(path)"
        var args: [OpenAPIArgument] = []
        var used: Set<String> = ["max_items"]
        var params: [(String, String, JSONValue)] = []  // (in, name, param)
        for raw in (item["parameters"]?.arrayValue ?? []) + (op["parameters"]?.arrayValue ?? []) {
            let p = resolver.deref(raw)
            guard let name = p["name"]?.stringValue, let loc = p["in"]?.stringValue else { continue }
            params.removeAll { $0.0 == loc && $0.1 == name }
            params.append((loc, name, p))
        }
        var bodySchema: JSONValue?
        var bodyRequired = false
        for (loc, name, p) in params {
            if loc == "body" {
                bodySchema = p["schema"]
                bodyRequired = p["required"]?.boolValue ?? false
                continue
            }
            if loc == "formData" {
                notes.append("\(place): form parameters are not JSON: operation skipped")
                return nil
            }
            if loc == "header", ["authorization", "accept", "content-type"].contains(name.lowercased()) { continue }
            guard let location = OpenAPIArgument.Location(rawValue: loc) else { continue }
            var schema = try resolver.resolve(p["schema"] ?? Self.swaggerSchema(p), pointer: "\(place) \(name)")
            if let d = p["description"]?.stringValue, case .object(var o) = schema {
                o["description"] = .string(d)
                schema = .object(o)
            }
            if let ex = p["example"], case .object(var o) = schema, o["example"] == nil {
                o["example"] = ex
                schema = .object(o)
            }
            let arg = OpenAPINaming.unique(OpenAPINaming.snake(name), in: &used)
            args.append(
                OpenAPIArgument(
                    arg: arg, name: name, location: location,
                    required: loc == "path" || (p["required"]?.boolValue ?? false),
                    schema: schema))
        }
        if let rb = op["requestBody"].map({ resolver.deref($0) }) {
            let content = rb["content"]?.objectValue
            guard let media = content?.keys.first(where: Self.isJSON) else {
                let kinds = content?.keys.joined(separator: ", ") ?? "none"
                notes.append("\(place): request body is \(kinds), not JSON: operation skipped")
                return nil
            }
            bodySchema = content?[media]?["schema"] ?? .object(JSONObject())
            bodyRequired = rb["required"]?.boolValue ?? false
        }
        if let raw = bodySchema {
            let body = try resolver.resolve(raw, pointer: "\(place) body")
            let props = body["properties"]?.objectValue
            if let props, body["type"]?.stringValue ?? "object" == "object", !props.isEmpty {
                let req = Set(body["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                for (name, schema) in props.pairs {
                    var arg = OpenAPINaming.snake(name)
                    if used.contains(arg) { arg = arg + "_body" }
                    arg = OpenAPINaming.unique(arg, in: &used)
                    args.append(
                        OpenAPIArgument(
                            arg: arg, name: name, location: .body, required: bodyRequired && req.contains(name),
                            schema: schema))
                }
            } else {
                let arg = OpenAPINaming.unique("body", in: &used)
                args.append(
                    OpenAPIArgument(arg: arg, name: "body", location: .wholeBody, required: bodyRequired, schema: body))
            }
        }
        let (respSchema, respExample) = try response(op, place: place)
        let pagination =
            method == "get"
            ? OpenAPIPaginationDetector.detect(args: args, response: respSchema, op: op, resolver: resolver) : nil
        var props = JSONObject()
        var required: [JSONValue] = []
        for a in args {
            props[a.arg] = Self.toolProperty(a.schema)
            if a.required { required.append(.string(a.arg)) }
        }
        if pagination != nil {
            props["max_items"] = [
                "type": "integer", "default": 100,
                "description": "Stop after this many items (pages are followed until then).",
            ]
        }
        var input = JSONObject([("type", "object"), ("properties", .object(props))])
        if !required.isEmpty { input["required"] = .array(required) }
        let summary = op["summary"]?.stringValue ?? ""
        let detail = op["description"]?.stringValue ?? ""
        var description = [summary, detail].filter { !$0.isEmpty }.joined(separator: "\n\n")
        if description.isEmpty { description = "\(method.uppercased()) \(path)" }
        if description.count > 1000 { description = String(description.prefix(1000)) + "…" }
        return OpenAPIOperation(
            tool: tool, operationID: op["operationId"]?.stringValue, method: method.uppercased(), path: path,
            description: description, arguments: args, inputSchema: .object(input),
            security: security(of: op, known: schemes), pagination: pagination, responseSchema: respSchema,
            responseExample: respExample)
    }

    static func isJSON(_ media: String) -> Bool {
        let m = media.lowercased()
        return m.hasPrefix("application/json") || m.contains("+json") || m == "*/*"
    }

    /// Swagger 2.0 parameters carry their schema inline.
    static func swaggerSchema(_ p: JSONValue) -> JSONValue {
        var o = JSONObject()
        for k in ["type", "format", "enum", "default", "items", "minimum", "maximum"] { if let v = p[k] { o[k] = v } }
        if let ex = p["x-example"] { o["example"] = ex }  // Swagger 2.0 has no example on parameters
        return .object(o)
    }

    /// A property of a tool's inputSchema: the gate wants a known `type` (or none) and object `items`.
    static func toolProperty(_ schema: JSONValue) -> JSONValue {
        guard case .object(var o) = schema else { return .object(JSONObject()) }
        if let t = o["type"], case .array(let ts) = t {
            let known = ts.compactMap(\.stringValue).filter { $0 != "null" }
            o["type"] = known.count == 1 ? .string(known[0]) : nil
        }
        if let items = o["items"], items.objectValue == nil { o["items"] = nil }
        if let e = o["enum"]?.arrayValue, e.isEmpty { o["enum"] = nil }
        if let p = o["properties"], p.objectValue == nil { o["properties"] = nil }
        if let r = o["required"], r.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true { o["required"] = nil }
        if o["description"].map({ $0.stringValue == nil }) ?? false { o["description"] = nil }
        return .object(o)
    }

    /// The first 2xx response's JSON schema and example.
    private mutating func response(_ op: JSONValue, place: String) throws(OpenAPIError) -> (JSONValue?, JSONValue?) {
        let responses = op["responses"]?.objectValue
        let code =
            responses?.keys.sorted().first { $0.hasPrefix("2") } ?? (responses?["default"] != nil ? "default" : nil)
        guard let code, let raw = responses?[code] else { return (nil, nil) }
        let r = resolver.deref(raw)
        var schema: JSONValue?
        var example: JSONValue?
        if document.dialect == .swagger2 {
            schema = r["schema"]
            example = r["examples"]?["application/json"]
        } else if let content = r["content"]?.objectValue, let media = content.keys.first(where: Self.isJSON) {
            let m = content[media]
            schema = m?["schema"]
            example =
                m?["example"] ?? m?["examples"]?.objectValue?.pairs.first.flatMap { resolver.deref($0.1)["value"] }
        }
        let resolved = try schema.map { (s: JSONValue) throws(OpenAPIError) -> JSONValue in
            try resolver.resolve(s, pointer: "\(place) response")
        }
        return (resolved, example)
    }
}
