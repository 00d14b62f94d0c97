import NexusAdminChannel
import NexusCore

/// A JSON answer of the admin API: every response, errors included, is a JSON document.
///
/// Errors are `{"error": "...", "field": "...", "hint": "..."}` with the status that says what to fix:
/// 400 bad JSON (naming the field), 401 token, 403 origin, 404 route or module, 413 body too large,
/// 422 a well-formed request nexus cannot apply (an unknown provider).
public struct AdminReply: Error, Sendable {
    /// HTTP status codes the admin API answers with.
    public enum Status {
        public static let ok = 200
        public static let badRequest = 400
        public static let unauthorized = 401
        public static let forbidden = 403
        public static let notFound = 404
        public static let methodNotAllowed = 405
        public static let conflict = 409
        public static let contentTooLarge = 413
        public static let unprocessableContent = 422
        public static let internalServerError = 500
    }

    public var status: Int
    public var body: JSONValue
    /// Headers beyond Content-Type and Cache-Control (`Allow` on a 405).
    public var extraHeaders: [AdminRequest.Field] = []

    public init(_ status: Int = Status.ok, _ body: JSONValue) {
        self.status = status
        self.body = body
    }

    public static func error(
        _ status: Int, _ message: String, field: String? = nil, hint: String? = nil
    ) -> AdminReply {
        var o = JSONObject([("error", .string(message))])
        if let field { o["field"] = .string(field) }
        if let hint { o["hint"] = .string(hint) }
        return AdminReply(status, .object(o))
    }

    /// What the front writes back: the JSON document and its headers.
    public var response: AdminResponse {
        AdminResponse(
            status: status,
            headers: [.init("content-type", "application/json"), .init("cache-control", "no-store")] + extraHeaders,
            body: Array((body.serialized + "\n").utf8))
    }
}
