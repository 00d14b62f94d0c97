import Hummingbird
import Logging
import NexusAdminChannel
import NexusCore
import NexusPOSIX
import Synchronization

/// The front itself: Hummingbird on the address given, every request forwarded to nexus as it came, and
/// nexus's reply written back. It decides nothing: no token, no route, no status of its own but the
/// channel's failures (502 nexus gone, 504 no answer). Bounds are the ones nexus gives: the body cap (a
/// larger body is not read and is flagged, so nexus answers 413 after its own checks) and the idle timeout.
enum FrontServer {
    static func run(_ options: FrontOptions, link: AdminLink, pending: PendingReplies) async {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let forwarded = await forward(request, options: options)
            let response = await pending.exchange(forwarded) { link.send(.request($0)) }
            return Self.response(response)
        }
        let bound = BoundPort()
        let app = Application(
            responder: responder,
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(options.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                bound.set()
                link.send(.ready(port: port))
            },
            logger: Logger(label: "nexus-admin", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            // SIGTERM from nexus ends it gracefully; SIGINT is nexus's to handle (own process group anyway).
            try await app.runService(gracefulShutdownSignals: [.sigterm])
        } catch {
            if !bound.isSet { link.sendNow(.failed("\(error)")) }
        }
    }

    /// The request as nexus sees it: method, path, decoded query, headers, Host, and the body up to the cap.
    static func forward(_ request: Request, options: FrontOptions) async -> AdminRequest {
        var request = request
        var body: [UInt8] = []
        var tooLarge = false
        do {
            let buffer = try await request.collectBody(upTo: options.maxBodyBytes)
            body = Array(buffer.readableBytesView)
        } catch {
            tooLarge = true
        }
        return AdminRequest(
            method: request.method.rawValue, path: request.uri.path,
            query: request.uri.queryParameters.map { AdminRequest.Field(String($0.key), String($0.value)) },
            headers: request.headers.map { AdminRequest.Field($0.name.canonicalName, $0.value) },
            authority: request.head.authority, body: body, bodyTooLarge: tooLarge)
    }

    /// nexus's reply as an HTTP response. Only the headers the admin API sets pass (Content-Type,
    /// Cache-Control, Allow); Content-Length is the body's own.
    static func response(_ reply: AdminResponse) -> Response {
        var headers = HTTPFields()
        for field in reply.headers {
            switch field.name {
            case "content-type": headers[.contentType] = field.value
            case "cache-control": headers[.cacheControl] = field.value
            case "allow": headers[.allow] = field.value
            default: continue
            }
        }
        return Response(
            status: HTTPResponse.Status(code: reply.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}

/// Whether the server got as far as listening (a failure after that is not a start failure).
final class BoundPort: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}
