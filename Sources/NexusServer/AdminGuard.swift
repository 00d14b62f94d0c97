import Hummingbird
import NexusCore

/// The admin server's door: refuses foreign origins and hosts, checks the token on `/v1`, and turns every
/// failure into a JSON error, so no request reaches a handler unchecked and no answer is HTML or empty.
///
/// A browser page on another site can send requests to 127.0.0.1 (and DNS rebinding can make its own
/// name point there); both show in `Origin` and `Host`, so a request whose Origin is not loopback gets 403,
/// and on a loopback bind so does one whose Host is not loopback.
struct AdminGuard<Context: RequestContext>: RouterMiddleware {
    let options: AdminOptions

    /// The paths answered without the token (Prometheus scrapes, health checks). Every other path needs it.
    static var openPaths: Set<String> { ["/healthz", "/metrics"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let reply = refusal(request) { return reply.response }
        do {
            return try await next(request, context)
        } catch let reply as AdminReply {
            return reply.response
        } catch let e as HTTPError {
            switch e.status {
            case .notFound:
                if let allowed = AdminRoutes.methods(for: request.uri.path) {
                    var reply = AdminReply.error(
                        .methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path)",
                        hint: "allowed: \(allowed.joined(separator: ", "))"
                    ).response
                    reply.headers[.allow] = allowed.joined(separator: ", ")
                    return reply
                }
                return AdminReply.error(
                    .notFound, "no route \(request.method.rawValue) \(request.uri.path)",
                    hint: "see docs/observability.md for the admin API"
                ).response
            case .contentTooLarge:
                return AdminReply.error(
                    .contentTooLarge, "request body over \(options.maxBodyBytes) bytes"
                ).response
            default:
                return AdminReply.error(e.status, e.body ?? e.status.reasonPhrase).response
            }
        } catch {
            return AdminReply.error(.internalServerError, "\(error)").response
        }
    }

    func refusal(_ request: Request) -> AdminReply? {
        if let origin = request.headers[.origin] {
            let host = Endpoint.host(of: origin)
            guard let host, AdminOptions.isLoopbackHost(host) else {
                return .error(
                    .forbidden, "origin \(origin.prefix(100)) is not loopback", hint: "call from this machine")
            }
        }
        if options.isLoopback, let hostHeader = request.head.authority {
            guard let host = Endpoint.host(of: "http://" + hostHeader),
                AdminOptions.isLoopbackHost(host)
            else {
                return .error(.forbidden, "host \(hostHeader.prefix(100)) is not loopback", hint: "use 127.0.0.1")
            }
        }
        // Fail closed: only the open paths, compared exactly, go without the token. The router folds
        // `//v1/routing` into `/v1/routing`, so a check on the "/v1/" prefix let that spelling through.
        guard !Self.openPaths.contains(request.uri.path) else { return nil }
        let auth = request.headers[.authorization] ?? ""
        let prefix = "Bearer "
        guard auth.hasPrefix(prefix), AdminToken.matches(String(auth.dropFirst(prefix.count)), options.token) else {
            return .error(
                .unauthorized, auth.isEmpty ? "missing bearer token" : "wrong bearer token",
                hint: "send Authorization: Bearer <the token in $NEXUS_HOME/admin.token>")
        }
        return nil
    }
}
