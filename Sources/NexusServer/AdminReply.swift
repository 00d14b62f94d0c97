import Hummingbird
import NexusCore

/// A JSON answer of the admin API: every response, errors included, is a JSON document.
///
/// Errors are `{"error": "...", "field": "...", "hint": "..."}` with the status that says what to fix:
/// 400 bad JSON (naming the field), 401 token, 403 origin, 404 route or module, 413 body too large,
/// 422 a well-formed request nexus cannot apply (an unknown provider).
public struct AdminReply: Error, Sendable {
    public var status: HTTPResponse.Status
    public var body: JSONValue

    public init(_ status: HTTPResponse.Status = .ok, _ body: JSONValue) {
        self.status = status
        self.body = body
    }

    public static func error(
        _ status: HTTPResponse.Status, _ message: String, field: String? = nil, hint: String? = nil
    ) -> AdminReply {
        var o = JSONObject([("error", .string(message))])
        if let field { o["field"] = .string(field) }
        if let hint { o["hint"] = .string(hint) }
        return AdminReply(status, .object(o))
    }

    var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.serialized + "\n")))
    }
}
