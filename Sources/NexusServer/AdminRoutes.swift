import Hummingbird
import NexusCore
import NexusModules

/// The routes of the admin server (docs/observability.md and config/admin-openapi.yaml describe them).
///
/// `/metrics` and `/healthz` need no token; everything under `/v1` does (`AdminGuard`). Request bodies are
/// read up to `AdminOptions.maxBodyBytes` and parsed with NexusCore's JSON parser; a bad one gets 400 naming
/// the field, a well-formed one nexus cannot apply 422.
enum AdminRoutes {
    static func register(
        on router: Router<BasicRequestContext>, backend: AdminBackend, options: AdminOptions,
        metrics: @escaping @Sendable () -> [UInt8]
    ) {
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics())))
        }
        router.get("/healthz") { _, _ in AdminReply(.ok, ["status": "ok"]).response }
        router.get("/v1/routing") { _, _ in AdminReply(.ok, await backend.routing()).response }
        router.put("/v1/routing") { request, _ in
            let body = try await json(request, limit: options.maxBodyBytes)
            let (task, chain) = try routeChange(body, providers: backend.orchestrator.providerNames)
            do {
                let text = try await backend.orchestrator.setRoute(task, chain, announce: "the admin API")
                var answer = await backend.routing()
                if case .object(var o) = answer {
                    o["message"] = .string(text)
                    answer = .object(o)
                }
                return AdminReply(.ok, answer).response
            } catch {
                throw AdminReply.error(.unprocessableContent, error.userFacingDescription, field: "chain")
            }
        }
        router.get("/v1/models") { _, _ in AdminReply(.ok, backend.models()).response }
        router.get("/v1/modules") { _, _ in AdminReply(.ok, await backend.moduleList()).response }
        router.post("/v1/modules/:name/:action") { _, context in
            let name = context.parameters.get("name") ?? ""
            let action = context.parameters.get("action") ?? ""
            return try await moduleAction(name: name, action: action, backend: backend).response
        }
        router.get("/v1/ledger") { request, _ in
            let q = request.uri.queryParameters
            var since = 0.0
            if let s = q["since"] {
                guard let v = Double(String(s)), v.isFinite else {
                    throw AdminReply.error(.badRequest, "since: expected Unix seconds", field: "since")
                }
                since = v
            }
            var limit = 1000
            if let l = q["limit"] {
                guard let v = Int(String(l)), (1...10_000).contains(v) else {
                    throw AdminReply.error(.badRequest, "limit: expected 1...10000", field: "limit")
                }
                limit = v
            }
            return AdminReply(.ok, try await backend.ledger(since: since, limit: limit)).response
        }
        router.post("/v1/reconfigure") { _, _ in
            let fresh: NexusConfig
            do { fresh = try backend.loadConfig() } catch {
                throw AdminReply.error(
                    .unprocessableContent, error.userFacingDescription, hint: "fix nexus.toml and retry")
            }
            do {
                let (applied, restart) = try await backend.orchestrator.reconfigure(fresh, announce: "the admin API")
                return AdminReply(
                    .ok,
                    [
                        "applied": .array(applied.map { .string($0) }),
                        "restart_needed": .array(restart.map { .string($0) }),
                    ]
                ).response
            } catch {
                throw AdminReply.error(
                    .unprocessableContent, error.userFacingDescription, hint: "restart nexus to apply it")
            }
        }
    }

    /// The methods a known path answers, for 405 on the others; nil for a path the API does not have.
    static func methods(for path: String) -> [String]? {
        switch path {
        case "/metrics", "/healthz", "/v1/models", "/v1/modules", "/v1/ledger": return ["GET"]
        case "/v1/routing": return ["GET", "PUT"]
        case "/v1/reconfigure": return ["POST"]
        default:
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 5, parts[1] == "v1", parts[2] == "modules", !parts[3].isEmpty,
                ["enable", "disable", "reload"].contains(parts[4])
            {
                return ["POST"]
            }
            return nil
        }
    }

    /// The request body as JSON, refusing more than `limit` bytes and anything that does not parse.
    static func json(_ request: Request, limit: Int) async throws -> JSONValue {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit) } catch {
            throw AdminReply.error(.contentTooLarge, "body: over \(limit) bytes, or cut short", field: "body")
        }
        do {
            return try JSONValue(parsing: Array(buffer.readableBytesView))
        } catch {
            throw AdminReply.error(.badRequest, "body: \(error)", field: "body")
        }
    }

    /// `{"task_type": "...", "chain": ["provider:model", ...]}` (or `chain` as one string) → validated values.
    static func routeChange(_ body: JSONValue, providers: [String]) throws -> (TaskType, [ModelRef]) {
        guard case .object(let o) = body else {
            throw AdminReply.error(.badRequest, "body: expected a JSON object", field: "body")
        }
        guard let name = o["task_type"]?.stringValue else {
            throw AdminReply.error(.badRequest, "task_type: expected a string", field: "task_type")
        }
        guard TaskType.isValidName(name) else {
            throw AdminReply.error(
                .badRequest, "task_type: \"\(name.prefix(64))\" is not a task type name (lowercase letters, digits, _)",
                field: "task_type")
        }
        let items: [JSONValue]
        switch o["chain"] {
        case .string(let s)?: items = [.string(s)]
        case .array(let a)?: items = a
        default: throw AdminReply.error(.badRequest, "chain: expected an array of \"provider:model\"", field: "chain")
        }
        guard !items.isEmpty, items.count <= 16 else {
            throw AdminReply.error(.badRequest, "chain: expected 1 to 16 models", field: "chain")
        }
        var chain: [ModelRef] = []
        for (i, item) in items.enumerated() {
            guard let text = item.stringValue, let ref = ModelRef(parsing: text) else {
                throw AdminReply.error(.badRequest, "chain[\(i)]: expected \"provider:model\"", field: "chain[\(i)]")
            }
            guard providers.contains(ref.provider) else {
                throw AdminReply.error(
                    .unprocessableContent, "chain[\(i)]: unknown provider \"\(ref.provider.prefix(64))\"",
                    field: "chain[\(i)]", hint: "configured providers: \(providers.joined(separator: ", "))")
            }
            chain.append(ref)
        }
        return (TaskType(name), chain)
    }

    static func moduleAction(name: String, action: String, backend: AdminBackend) async throws -> AdminReply {
        guard ["enable", "disable", "reload"].contains(action) else {
            throw AdminReply.error(
                .notFound, "no module action \"\(action.prefix(32))\"", hint: "enable, disable or reload")
        }
        guard let modules = backend.modules else {
            throw AdminReply.error(.notFound, "module \(name.prefix(64)): not installed")
        }
        do {
            let text: String
            switch action {
            case "enable": text = try await modules.enable(name)
            case "disable": text = try await modules.disable(name)
            default: text = try await modules.reload(name)
            }
            return AdminReply(.ok, ["message": .string(text)])
        } catch let e as ModuleHostError {
            switch e {
            case .notInstalled: throw AdminReply.error(.notFound, e.userMessage, hint: e.hint)
            default: throw AdminReply.error(.conflict, e.userMessage, hint: e.hint)
            }
        } catch {
            throw AdminReply.error(.internalServerError, error.userFacingDescription)
        }
    }
}
