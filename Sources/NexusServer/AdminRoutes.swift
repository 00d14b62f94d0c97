import NexusAdminChannel
import NexusCore
import NexusModules

/// The routes of the admin server (docs/observability.md and docs/admin-openapi.yaml describe them).
///
/// `/metrics` and `/healthz` need no token; everything else does (`AdminGuard`, which runs first). Paths are
/// matched on their non-empty segments, so `//v1/routing/` is `/v1/routing`. Request bodies are capped by the
/// front at `AdminOptions.maxBodyBytes` and parsed with NexusCore's JSON parser; a bad one gets 400 naming the
/// field, a well-formed one nexus cannot apply 422.
enum AdminRoutes {
    typealias S = AdminReply.Status

    /// The answer of the route `request` names; throws the `AdminReply` of a refusal.
    static func respond(
        _ request: AdminRequest, backend: AdminBackend, metrics: @Sendable () -> [UInt8]
    ) async throws -> AdminResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        switch (request.method, parts) {
        case ("GET", ["metrics"]):
            return AdminResponse(
                status: S.ok, headers: [.init("content-type", "text/plain; version=0.0.4; charset=utf-8")],
                body: metrics())
        case ("GET", ["healthz"]): return AdminReply(S.ok, ["status": "ok"]).response
        case ("GET", ["v1", "routing"]): return AdminReply(S.ok, await backend.routing()).response
        case ("PUT", ["v1", "routing"]): return try await putRouting(request, backend: backend)
        case ("GET", ["v1", "models"]): return AdminReply(S.ok, backend.models()).response
        case ("GET", ["v1", "modules"]): return AdminReply(S.ok, await backend.moduleList()).response
        case ("POST", let p) where p.count == 4 && p[0] == "v1" && p[1] == "modules":
            return try await moduleAction(name: p[2], action: p[3], backend: backend).response
        case ("GET", ["v1", "ledger"]): return try await ledger(request, backend: backend)
        case ("POST", ["v1", "reconfigure"]): return try await reconfigure(backend: backend)
        default: throw notFound(request)
        }
    }

    /// 405 naming the methods a known path answers, or 404 for a path the API does not have.
    static func notFound(_ request: AdminRequest) -> AdminReply {
        if let allowed = methods(for: request.path) {
            var reply = AdminReply.error(
                S.methodNotAllowed, "\(request.method.prefix(32)) is not allowed on \(request.path.prefix(200))",
                hint: "allowed: \(allowed.joined(separator: ", "))")
            reply.extraHeaders = [.init("allow", allowed.joined(separator: ", "))]
            return reply
        }
        return AdminReply.error(
            S.notFound, "no route \(request.method.prefix(32)) \(request.path.prefix(200))",
            hint: "see docs/observability.md for the admin API")
    }

    static func putRouting(_ request: AdminRequest, backend: AdminBackend) async throws -> AdminResponse {
        let body = try json(request)
        let (task, chain) = try routeChange(body, providers: backend.orchestrator.providerNames)
        do {
            let text = try await backend.orchestrator.setRoute(task, chain, announce: "the admin API")
            var answer = await backend.routing()
            if case .object(var o) = answer {
                o["message"] = .string(text)
                answer = .object(o)
            }
            return AdminReply(S.ok, answer).response
        } catch {
            throw AdminReply.error(S.unprocessableContent, error.userFacingDescription, field: "chain")
        }
    }

    static func ledger(_ request: AdminRequest, backend: AdminBackend) async throws -> AdminResponse {
        var since = 0.0
        if let s = request.queryValue("since") {
            guard let v = Double(s), v.isFinite else {
                throw AdminReply.error(S.badRequest, "since: expected Unix seconds", field: "since")
            }
            since = v
        }
        var limit = 1000
        if let l = request.queryValue("limit") {
            guard let v = Int(l), (1...10_000).contains(v) else {
                throw AdminReply.error(S.badRequest, "limit: expected 1...10000", field: "limit")
            }
            limit = v
        }
        do {
            return AdminReply(S.ok, try await backend.ledger(since: since, limit: limit)).response
        } catch {
            throw AdminReply.error(S.internalServerError, error.userFacingDescription)
        }
    }

    static func reconfigure(backend: AdminBackend) async throws -> AdminResponse {
        let fresh: NexusConfig
        do { fresh = try backend.loadConfig() } catch {
            throw AdminReply.error(
                S.unprocessableContent, error.userFacingDescription, hint: "fix nexus.toml and retry")
        }
        do {
            let (applied, restart) = try await backend.orchestrator.reconfigure(fresh, announce: "the admin API")
            return AdminReply(
                S.ok,
                [
                    "applied": .array(applied.map { .string($0) }),
                    "restart_needed": .array(restart.map { .string($0) }),
                ]
            ).response
        } catch {
            throw AdminReply.error(
                S.unprocessableContent, error.userFacingDescription, hint: "restart nexus to apply it")
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

    /// The request body as JSON, refusing one the front found over the cap and anything that does not parse.
    static func json(_ request: AdminRequest) throws -> JSONValue {
        guard !request.bodyTooLarge else {
            throw AdminReply.error(S.contentTooLarge, "body: over the size limit, or cut short", field: "body")
        }
        do {
            return try JSONValue(parsing: request.body)
        } catch {
            throw AdminReply.error(S.badRequest, "body: \(error)", field: "body")
        }
    }

    /// `{"task_type": "...", "chain": ["provider:model", ...]}` (or `chain` as one string) → validated values.
    static func routeChange(_ body: JSONValue, providers: [String]) throws -> (TaskType, [ModelRef]) {
        guard case .object(let o) = body else {
            throw AdminReply.error(S.badRequest, "body: expected a JSON object", field: "body")
        }
        guard let name = o["task_type"]?.stringValue else {
            throw AdminReply.error(S.badRequest, "task_type: expected a string", field: "task_type")
        }
        guard TaskType.isValidName(name) else {
            throw AdminReply.error(
                S.badRequest,
                "task_type: \"\(name.prefix(64))\" is not a task type name (lowercase letters, digits, _)",
                field: "task_type")
        }
        let items: [JSONValue]
        switch o["chain"] {
        case .string(let s)?: items = [.string(s)]
        case .array(let a)?: items = a
        default: throw AdminReply.error(S.badRequest, "chain: expected an array of \"provider:model\"", field: "chain")
        }
        guard !items.isEmpty, items.count <= 16 else {
            throw AdminReply.error(S.badRequest, "chain: expected 1 to 16 models", field: "chain")
        }
        var chain: [ModelRef] = []
        for (i, item) in items.enumerated() {
            guard let text = item.stringValue, let ref = ModelRef(parsing: text) else {
                throw AdminReply.error(S.badRequest, "chain[\(i)]: expected \"provider:model\"", field: "chain[\(i)]")
            }
            guard providers.contains(ref.provider) else {
                throw AdminReply.error(
                    S.unprocessableContent, "chain[\(i)]: unknown provider \"\(ref.provider.prefix(64))\"",
                    field: "chain[\(i)]", hint: "configured providers: \(providers.joined(separator: ", "))")
            }
            chain.append(ref)
        }
        return (TaskType(name), chain)
    }

    static func moduleAction(name: String, action: String, backend: AdminBackend) async throws -> AdminReply {
        guard ["enable", "disable", "reload"].contains(action) else {
            throw AdminReply.error(
                S.notFound, "no module action \"\(action.prefix(32))\"", hint: "enable, disable or reload")
        }
        guard let modules = backend.modules else {
            throw AdminReply.error(S.notFound, "module \(name.prefix(64)): not installed")
        }
        do {
            let text: String
            switch action {
            case "enable": text = try await modules.enable(name)
            case "disable": text = try await modules.disable(name)
            default: text = try await modules.reload(name)
            }
            return AdminReply(S.ok, ["message": .string(text)])
        } catch let e as ModuleHostError {
            switch e {
            case .notInstalled: throw AdminReply.error(S.notFound, e.userMessage, hint: e.hint)
            default: throw AdminReply.error(S.conflict, e.userMessage, hint: e.hint)
            }
        } catch {
            throw AdminReply.error(S.internalServerError, error.userFacingDescription)
        }
    }
}
