import Glibc
import NexusPOSIX

/// A test's HTTP/1.1 client over a real loopback socket: it sends exactly the bytes given (hostile ones
/// included) and reads the answer until the server closes, so no client library smooths anything over.
struct RawHTTP {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    let port: Int

    /// Sends `method path` with `headers` and `body`, adding Host, Content-Length and Connection: close.
    func send(
        _ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil,
        host: String = "127.0.0.1"
    ) -> Reply? {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if let body { head += "Content-Length: \(body.utf8.count)\r\n" }
        head += "\r\n"
        return raw(Array((head + (body ?? "")).utf8))
    }

    /// Sends raw bytes and parses whatever comes back.
    /// Waits at most `timeout` seconds for the answer (a request without `Connection: close` keeps it open).
    func raw(_ bytes: [UInt8], timeout: Int = 10) -> Reply? {
        guard let fd = LoopbackSocket.connect(port: UInt16(port), receiveTimeout: timeout) else { return nil }
        defer { Descriptor.close(fd) }
        LoopbackSocket.sendAll(fd, bytes)
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = LoopbackSocket.receive(fd, into: &buf)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return Self.parse(String(decoding: out, as: UTF8.self))
    }

    enum Silence: Equatable { case closed, stillOpen, noConnection }

    /// Connects, sends nothing, and reports whether the server closed the socket within `waitSeconds`.
    func silentConnection(waitSeconds: Int) -> Silence {
        guard let fd = LoopbackSocket.connect(port: UInt16(port), receiveTimeout: waitSeconds) else {
            return .noConnection
        }
        defer { Descriptor.close(fd) }
        var buf = [UInt8](repeating: 0, count: 1024)
        let n = LoopbackSocket.receive(fd, into: &buf)
        return n == 0 || (n < 0 && errno == ECONNRESET) ? .closed : .stillOpen
    }

    static func parse(_ text: String) -> Reply? {
        guard let split = text.firstRange(of: "\r\n\r\n") else { return nil }
        let lines = text[..<split.lowerBound].split(separator: "\r\n", omittingEmptySubsequences: false)
        guard let first = lines.first else { return nil }
        let parts = first.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [String: String] = [:]
        for l in lines.dropFirst() {
            guard let c = l.firstIndex(of: ":") else { continue }
            headers[l[..<c].lowercased()] = l[l.index(after: c)...].trimmingCharacters(in: " ")
        }
        var body = String(text[split.upperBound...])
        if headers["transfer-encoding"] == "chunked" { body = dechunk(body) }
        return Reply(status: status, headers: headers, body: body)
    }

    static func dechunk(_ s: String) -> String {
        var rest = Substring(s)
        var out = ""
        while let r = rest.firstRange(of: "\r\n"), let n = Int(rest[..<r.lowerBound], radix: 16), n > 0 {
            let start = r.upperBound
            let utf8 = rest.utf8
            let end = utf8.index(start, offsetBy: n)
            out += String(rest[start..<end])
            rest = rest[end...].dropFirst(2)
        }
        return out
    }
}

extension Substring {
    func trimmingCharacters(in c: Character) -> String {
        var s = self
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
