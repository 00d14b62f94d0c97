import Glibc

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
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = in_port_t(UInt16(port)).bigEndian
        a.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let ok = withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard ok == 0 else { return nil }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { break }
            sent += n
        }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return Self.parse(String(decoding: out, as: UTF8.self))
    }

    enum Silence: Equatable { case closed, stillOpen, noConnection }

    /// Connects, sends nothing, and reports whether the server closed the socket within `waitSeconds`.
    func silentConnection(waitSeconds: Int) -> Silence {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .noConnection }
        defer { close(fd) }
        var tv = timeval(tv_sec: waitSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = in_port_t(UInt16(port)).bigEndian
        a.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let ok = withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard ok == 0 else { return .noConnection }
        var buf = [UInt8](repeating: 0, count: 1024)
        let n = read(fd, &buf, buf.count)
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
