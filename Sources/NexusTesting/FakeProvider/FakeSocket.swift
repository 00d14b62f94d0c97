#if canImport(Glibc)
    import Glibc
#endif

/// Blocking socket helpers for the fake servers (their threads are NexusPOSIX `DetachedThread`s).
///
/// The fakes run real HTTP over real loopback sockets so the client's curl code is exercised exactly
/// as in production; a thread per connection keeps them simple and lets one connection hang forever
/// without blocking the others.
enum FakeSocket {
    /// A listening TCP socket on 127.0.0.1 (port 0 = any free port). Returns (fd, port).
    static func listen(port: UInt16 = 0) -> (Int32, UInt16)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else {
            close(fd)
            return nil
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return (fd, UInt16(bigEndian: addr.sin_port))
    }

    /// Writes all bytes; false when the peer is gone.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { p -> Int in
                guard let base = p.baseAddress else { return -1 }
                return send(fd, base + off, bytes.count - off, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                return false
            }
            off += n
        }
        return true
    }

    @discardableResult
    static func writeAll(_ fd: Int32, _ s: String) -> Bool { writeAll(fd, Array(s.utf8)) }

    static func sleepMs(_ ms: Int) {
        guard ms > 0 else { return }
        var ts = timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
        var rem = timespec()
        while nanosleep(&ts, &rem) != 0 && errno == EINTR { ts = rem }
    }
}

/// A parsed HTTP/1.1 request head plus its Content-Length body.
struct FakeHTTPRequest {
    var method: String
    var target: String
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }

    /// Reads one request from `fd`; nil when the peer closed or sent garbage.
    static func read(from fd: Int32) -> FakeHTTPRequest? {
        var buf: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        var headEnd: Int?
        while headEnd == nil {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            buf.append(contentsOf: chunk[0..<n])
            if buf.count > 1 << 20 { return nil }
            headEnd = findHeadEnd(buf)
        }
        guard let end = headEnd else { return nil }
        let headText = String(decoding: buf[0..<end], as: UTF8.self)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [(String, String)] = []
        for l in lines where !l.isEmpty {
            guard let c = l.firstIndex(of: ":") else { continue }
            let v = l[l.index(after: c)...].drop(while: { $0 == " " })
            headers.append((l[..<c].lowercased(), String(v)))
        }
        var body = Array(buf[(end + 4)...])
        let length = headers.first { $0.0 == "content-length" }.flatMap { Int($0.1) } ?? 0
        while body.count < length {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            body.append(contentsOf: chunk[0..<n])
        }
        return FakeHTTPRequest(
            method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    private static func findHeadEnd(_ b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        for i in 0...(b.count - 4) where b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 {
            return i
        }
        return nil
    }
}
