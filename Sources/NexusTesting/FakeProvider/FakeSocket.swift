import NexusPOSIX

/// Blocking socket helpers for the fake servers (their threads are NexusPOSIX `DetachedThread`s).
///
/// The fakes run real HTTP over real loopback sockets so the client's curl code is exercised exactly
/// as in production; a thread per connection keeps them simple and lets one connection hang forever
/// without blocking the others. The system calls are NexusPOSIX's `LoopbackSocket`.
enum FakeSocket {
    /// A listening TCP socket on 127.0.0.1 (port 0 = any free port). Returns (fd, port).
    static func listen(port: UInt16 = 0) -> (Int32, UInt16)? {
        LoopbackSocket.listen(port: port).map { ($0.fd, $0.port) }
    }

    /// Writes all bytes; false when the peer is gone.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool { LoopbackSocket.sendAll(fd, bytes) }

    @discardableResult
    static func writeAll(_ fd: Int32, _ s: String) -> Bool { writeAll(fd, Array(s.utf8)) }

    static func sleepMs(_ ms: Int) { Pause.milliseconds(ms) }
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
            let n = LoopbackSocket.receive(fd, into: &chunk)
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
            let n = LoopbackSocket.receive(fd, into: &chunk)
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
