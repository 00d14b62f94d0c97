import NexusCore

/// The messages on the channel between nexus and `nexus-admin`, one per frame (`AdminFrame`).
///
/// Front → nexus: `ready` once bound (with the port), or `failed` with one line, then `request`s.
/// nexus → front: a `reply` per request id. Requests may be in flight together; replies come in any order.
public enum AdminMessage: Sendable, Equatable {
    case ready(port: Int)
    case failed(String)
    case request(AdminRequest)
    case reply(id: Int, AdminResponse)

    /// The frame that carries this message.
    public var frame: [UInt8] {
        switch self {
        case .ready(let port): return AdminFrame.encode(["type": "ready", "port": .number(Double(port))])
        case .failed(let message): return AdminFrame.encode(["type": "failed", "message": .string(message)])
        case .request(let r):
            var o = JSONObject([
                ("type", .string("request")), ("id", .number(Double(r.id))), ("method", .string(r.method)),
                ("path", .string(r.path)), ("query", Self.fields(r.query)), ("headers", Self.fields(r.headers)),
            ])
            if let a = r.authority { o["authority"] = .string(a) }
            if r.bodyTooLarge { o["body_too_large"] = .bool(true) }
            return AdminFrame.encode(.object(o), body: r.body)
        case .reply(let id, let r):
            let header: JSONValue = [
                "type": "reply", "id": .number(Double(id)), "status": .number(Double(r.status)),
                "headers": Self.fields(r.headers),
            ]
            return AdminFrame.encode(header, body: r.body)
        }
    }

    /// Why a well-framed message was not understood.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The message in a frame's header and body; every field is checked, as the peer may be anything.
    public init(header: JSONValue, body: [UInt8]) throws(Invalid) {
        switch header["type"]?.stringValue {
        case "ready":
            guard let port = header["port"]?.intValue, (1...65535).contains(port) else {
                throw Invalid(reason: "ready: port is not 1...65535")
            }
            self = .ready(port: port)
        case "failed":
            self = .failed(String((header["message"]?.stringValue ?? "no reason given").prefix(500)))
        case "request":
            guard let id = Self.id(header) else { throw Invalid(reason: "request: id is not a whole number ≥ 0") }
            guard let method = header["method"]?.stringValue, (1...32).contains(method.utf8.count),
                let path = header["path"]?.stringValue, path.hasPrefix("/")
            else { throw Invalid(reason: "request \(id): method or path missing") }
            guard let query = Self.fields(header["query"]), let headers = Self.fields(header["headers"]) else {
                throw Invalid(reason: "request \(id): query or headers are not [[name, value]]")
            }
            self = .request(
                AdminRequest(
                    id: id, method: method, path: path, query: query, headers: headers,
                    authority: header["authority"]?.stringValue, body: body,
                    bodyTooLarge: header["body_too_large"]?.boolValue ?? false))
        case "reply":
            guard let id = Self.id(header) else { throw Invalid(reason: "reply: id is not a whole number ≥ 0") }
            guard let status = header["status"]?.intValue, (100...599).contains(status),
                let headers = Self.fields(header["headers"])
            else { throw Invalid(reason: "reply \(id): status or headers missing") }
            self = .reply(id: id, AdminResponse(status: status, headers: headers, body: body))
        case let other:
            throw Invalid(reason: "unknown message type \(other.map { "\"\($0.prefix(32))\"" } ?? "(none)")")
        }
    }

    static func id(_ header: JSONValue) -> Int? {
        guard let id = header["id"]?.intValue, id >= 0 else { return nil }
        return id
    }

    static func fields(_ list: [AdminRequest.Field]) -> JSONValue {
        .array(list.map { .array([.string($0.name), .string($0.value)]) })
    }

    static func fields(_ value: JSONValue?) -> [AdminRequest.Field]? {
        guard let items = value?.arrayValue, items.count <= 1000 else { return nil }
        var out: [AdminRequest.Field] = []
        for item in items {
            guard let pair = item.arrayValue, pair.count == 2, let n = pair[0].stringValue,
                let v = pair[1].stringValue
            else { return nil }
            out.append(AdminRequest.Field(n, v))
        }
        return out
    }
}
