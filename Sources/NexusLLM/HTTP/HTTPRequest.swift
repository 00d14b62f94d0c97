import NexusCore

/// One HTTP request as NexusLLM sends it: everything the curl transfer needs, nothing provider-specific.
///
/// `label` names who is asking (a provider name) so transport failures read "anthropic: ..." instead
/// of a bare curl code.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
    }

    public var method: Method
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Seconds to establish the connection (TCP + TLS).
    public var connectTimeout: Double
    /// Seconds without a single byte (before or during the body) that end the transfer as a timeout.
    public var readTimeout: Double
    public var label: String

    public init(
        method: Method = .get, url: String, headers: [(String, String)] = [], body: [UInt8] = [],
        connectTimeout: Double = 10, readTimeout: Double = 120, label: String = "http"
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.label = label
    }
}

/// The status line and headers of a response, available before the body has been read.
public struct HTTPResponseHead: Sendable {
    public var status: Int
    /// Header names lower-cased, in arrival order.
    public var headers: [(String, String)]

    public init(status: Int, headers: [(String, String)]) {
        self.status = status
        self.headers = headers
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let n = name.lowercased()
        return headers.first { $0.0 == n }?.1
    }

    /// `Retry-After` as seconds, when given as a number of seconds (the HTTP-date form is ignored).
    public var retryAfterSeconds: Double? {
        guard let v = header("retry-after")?.trimmingSpaces, let d = Double(v), d >= 0, d.isFinite else { return nil }
        return d
    }
}

/// A response whose body arrives as a stream of byte chunks, as the server sends them.
/// Dropping or cancelling the body stream aborts the transfer.
public struct HTTPResponse: Sendable {
    public var head: HTTPResponseHead
    public var body: AsyncThrowingStream<[UInt8], any Error>

    public var status: Int { head.status }
}
