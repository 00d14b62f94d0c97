import NexusAdminChannel
import NexusCore

/// The admin server's door: refuses foreign origins and hosts and checks the token on every path but the
/// open ones, before any route sees the request.
///
/// A browser page on another site can send requests to 127.0.0.1 (and DNS rebinding can make its own
/// name point there); both show in `Origin` and `Host`, so a request whose Origin is not loopback gets 403,
/// and on a loopback bind so does one whose Host is not loopback.
struct AdminGuard: Sendable {
    let options: AdminOptions

    /// The paths answered without the token (Prometheus scrapes, health checks). Every other path needs it.
    static var openPaths: Set<String> { ["/healthz", "/metrics"] }

    /// The refusal `request` gets, or nil when it may go on to the routes.
    func refusal(_ request: AdminRequest) -> AdminReply? {
        if let origin = request.header("origin") {
            let host = Endpoint.host(of: origin)
            guard let host, AdminOptions.isLoopbackHost(host) else {
                return .error(
                    AdminReply.Status.forbidden, "origin \(origin.prefix(100)) is not loopback",
                    hint: "call from this machine")
            }
        }
        if options.isLoopback, let hostHeader = request.authority {
            guard let host = Endpoint.host(of: "http://" + hostHeader), AdminOptions.isLoopbackHost(host) else {
                return .error(
                    AdminReply.Status.forbidden, "host \(hostHeader.prefix(100)) is not loopback",
                    hint: "use 127.0.0.1")
            }
        }
        // Fail closed: only the open paths, compared exactly, go without the token. The routes fold
        // `//v1/routing` into `/v1/routing`, so a check on the "/v1/" prefix let that spelling through.
        guard !Self.openPaths.contains(request.path) else { return nil }
        let auth = request.header("authorization") ?? ""
        let prefix = "Bearer "
        guard auth.hasPrefix(prefix), AdminToken.matches(String(auth.dropFirst(prefix.count)), options.token) else {
            return .error(
                AdminReply.Status.unauthorized, auth.isEmpty ? "missing bearer token" : "wrong bearer token",
                hint: "send Authorization: Bearer <the token in $NEXUS_HOME/admin.token>")
        }
        return nil
    }
}
