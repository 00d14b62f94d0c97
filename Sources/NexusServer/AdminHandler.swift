import NexusAdminChannel
import NexusCore

/// The whole admin API as one function of values: a request as the front parsed it → the answer.
///
/// Every decision lives here, inside nexus: the origin and host checks and the token (`AdminGuard`), the
/// routes and their JSON (`AdminRoutes`), every status code. The front (`nexus-admin`) only carries bytes,
/// so the API is tested in process, and the HTTP library stays out of the binary every chat starts.
public struct AdminHandler: Sendable {
    let options: AdminOptions
    let backend: AdminBackend
    let metrics: @Sendable () -> [UInt8]

    public init(options: AdminOptions, backend: AdminBackend, metrics: @escaping @Sendable () -> [UInt8]) {
        self.options = options
        self.backend = backend
        self.metrics = metrics
    }

    /// The answer to `request`: never throws, every failure is a JSON error with its status.
    public func respond(to request: AdminRequest) async -> AdminResponse {
        if let refusal = AdminGuard(options: options).refusal(request) { return refusal.response }
        do {
            return try await AdminRoutes.respond(request, backend: backend, metrics: metrics)
        } catch let reply as AdminReply {
            return reply.response
        } catch {
            return AdminReply.error(AdminReply.Status.internalServerError, error.userFacingDescription).response
        }
    }
}
