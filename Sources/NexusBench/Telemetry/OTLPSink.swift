import NexusCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

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
        let box = Unmanaged.passRetained(self).toOpaque()
        var tid = pthread_t()
        let started = pthread_create(
            &tid, nil,
            { arg in
                guard let arg else { return nil }
                Unmanaged<OTLPSink>.fromOpaque(arg).takeRetainedValue().serve()
                return nil
            }, box)
        if started != 0 {
            Unmanaged<OTLPSink>.fromOpaque(box).release()
            return nil
        }
        pthread_detach(tid)
    }

    var received: (requests: Int, bytes: Int) { counts.withLock { $0 } }

    /// Ends the accept loop (the listening socket is shut down, so `accept` returns).
    func stop() { shutdown(fd, Int32(SHUT_RDWR)) }

    private func serve() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 {
                if errno == EINTR { continue }
                close(fd)
                return
            }
            handle(c)
            close(c)
        }
    }

    /// One request per connection is enough for curl's exporter requests (it reconnects when we close).
    private func handle(_ c: Int32) {
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        var bodyStart: Int?
        var length = 0
        while true {
            let n = buf.withUnsafeMutableBytes { read(c, $0.baseAddress, $0.count) }
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
        _ = reply.withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
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
