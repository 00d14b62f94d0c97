import NexusCore
import NexusPOSIX
import Synchronization

/// A loopback collector for the tracing overhead run: accepts connections on a thread, reads each HTTP
/// request (head and Content-Length body), answers `200 {}` and counts the requests. Nothing is decoded:
/// the run measures nexus, not a collector. (The tests use a real decoding receiver.)
final class OTLPSink: Sendable {
    let endpoint: String
    private let fd: Int32
    private let counts = Mutex((requests: 0, bytes: 0))

    init?() {
        guard let (fd, port) = LoopbackListener.open(backlog: 16) else { return nil }
        self.fd = fd
        endpoint = "http://127.0.0.1:\(port)"
        guard DetachedThread.start(name: "otlp-sink", { [self] in serve() }) else {
            Descriptor.close(fd)
            return nil
        }
    }

    var received: (requests: Int, bytes: Int) { counts.withLock { $0 } }

    /// Ends the accept loop (the listening socket is shut down, so `accept` returns).
    func stop() { LoopbackSocket.shutdown(fd) }

    private func serve() {
        while let c = LoopbackSocket.accept(fd) {
            handle(c)
            Descriptor.close(c)
        }
        Descriptor.close(fd)
    }

    /// One request per connection is enough for curl's exporter requests (it reconnects when we close).
    private func handle(_ c: Int32) {
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        var bodyStart: Int?
        var length = 0
        while true {
            let n = LoopbackSocket.receive(c, into: &buf)
            if n <= 0 { return }
            data += buf[0..<n]
            if bodyStart == nil, let end = Self.headEnd(data) {
                bodyStart = end
                length = Self.contentLength(String(decoding: data[..<end], as: UTF8.self))
            }
            if let b = bodyStart, data.count - b >= length { break }
        }
        counts.withLock {
            $0.requests += 1
            $0.bytes += length
        }
        let reply = Array(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".utf8
        )
        _ = LoopbackSocket.sendAll(c, reply)
    }

    static func headEnd(_ d: [UInt8]) -> Int? {
        guard d.count >= 4 else { return nil }
        for i in 3..<d.count where d[i - 3] == 13 && d[i - 2] == 10 && d[i - 1] == 13 && d[i] == 10 { return i + 1 }
        return nil
    }

    static func contentLength(_ head: String) -> Int {
        for line in head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(String(parts[1]).trimmingSpaces) ?? 0
            }
        }
        return 0
    }
}
