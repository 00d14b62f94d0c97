/// One HTTP request as the admin front (`nexus-admin`) hands it to nexus, already parsed by Hummingbird.
///
/// It exists so the admin API's policy (token, origin, routes, bodies) is a plain function of values inside
/// nexus, testable in process, while the HTTP library lives in its own executable that `nexus` never links.
public struct AdminRequest: Sendable, Equatable {
    /// The channel's number for this request; the reply carries it back.
    public var id: Int
    public var method: String
    /// The path as sent, not folded (`//v1/routing` stays as it is).
    public var path: String
    /// Query parameters, decoded, in order.
    public var query: [Field]
    /// Header fields with lowercase names, in order.
    public var headers: [Field]
    /// The `Host` the client named (HTTP/1.1 authority), nil when absent.
    public var authority: String?
    public var body: [UInt8]
    /// The body was over the front's cap and was not read: a route that reads the body answers 413.
    public var bodyTooLarge: Bool

    /// A name and a value (a header field or a query parameter).
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        id: Int = 0, method: String, path: String, query: [Field] = [], headers: [Field] = [],
        authority: String? = nil, body: [UInt8] = [], bodyTooLarge: Bool = false
    ) {
        self.id = id
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.authority = authority
        self.body = body
        self.bodyTooLarge = bodyTooLarge
    }

    /// The value of header `name` (any case); several fields of that name are joined with ", ", as HTTP
    /// folds them.
    public func header(_ name: String) -> String? {
        let n = name.lowercased()
        let values = headers.filter { $0.name.lowercased() == n }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    /// The first value of query parameter `name`.
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }
}

/// nexus's answer to one `AdminRequest`: what the front writes back to the client.
public struct AdminResponse: Sendable, Equatable {
    public var status: Int
    /// Header fields (lowercase names); the front adds Content-Length itself.
    public var headers: [AdminRequest.Field]
    public var body: [UInt8]

    public init(status: Int, headers: [AdminRequest.Field] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.first { $0.name == name.lowercased() }?.value }
}
