import NexusPOSIX

/// A test's HTTP/1.1 client over a real loopback socket, for the end-to-end tests that drive a running
/// `nexus` through its admin API: it sends exactly the request given and reads the answer until the server
/// closes (`Connection: close`), so no client library smooths anything over.
public struct LoopbackHTTP: Sendable {
    public struct Reply: Sendable {
        public var status: Int
        public var body: String
    }

    public let port: UInt16

    public init(port: UInt16) { self.port = port }

    /// A loopback port nothing listens on now, to hand to a child as `--admin-port N`.
    public static func freePort() -> UInt16? { LoopbackSocket.freePort() }

    /// Sends `method path` with `headers` and `body` (adding Host, Content-Length and Connection: close);
    /// nil when nothing accepts the connection or no status line comes back within `timeout` seconds.
    public func send(
        _ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil, timeout: Int = 10
    ) -> Reply? {
        guard let fd = LoopbackSocket.connect(port: port, receiveTimeout: timeout) else { return nil }
        defer { Descriptor.close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) { head += "\(k): \(v)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        guard LoopbackSocket.sendAll(fd, Array((head + "\r\n" + (body ?? "")).utf8)) else { return nil }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = LoopbackSocket.receive(fd, into: &buf)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return Self.parse(out)
    }

    /// The status and body of a whole answer (a chunked body is joined).
    static func parse(_ bytes: [UInt8]) -> Reply? {
        let crlf2: [UInt8] = [13, 10, 13, 10]
        guard let split = bytes.firstRange(of: crlf2) else { return nil }
        let head = String(decoding: bytes[..<split.lowerBound], as: UTF8.self)
        let words = head.prefix { $0 != "\r" }.split(separator: " ")
        guard words.count >= 2, words[0].hasPrefix("HTTP/1."), let status = Int(words[1]) else { return nil }
        var body = Array(bytes[split.upperBound...])
        if head.lowercased().contains("transfer-encoding: chunked") { body = unchunk(body) }
        return Reply(status: status, body: String(decoding: body, as: UTF8.self))
    }

    static func unchunk(_ bytes: [UInt8]) -> [UInt8] {
        var rest = bytes[...]
        var out: [UInt8] = []
        while let lineEnd = rest.firstRange(of: [13, 10] as [UInt8]),
            let size = Int(String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self), radix: 16), size > 0
        {
            let data = rest[lineEnd.upperBound...].prefix(size)
            out += data
            rest = rest[data.endIndex...].dropFirst(2)
        }
        return out
    }
}
