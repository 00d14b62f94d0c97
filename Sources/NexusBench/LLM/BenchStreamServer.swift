import NexusCore
import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// A one-shot loopback SSE server for the latency benchmark: answers one request with `tokens` chat
/// chunks, `intervalMs` apart, each stamped with the monotonic time just before it is written.
/// (NexusTesting's fake server is richer but is test support; the benchmark ships in the binary.)
final class BenchStreamServer: Sendable {
    let url: String
    private let fd: Int32

    init?(tokens: Int, intervalMs: Int) {
        guard let (fd, port) = LoopbackListener.open(backlog: 4) else { return nil }
        self.fd = fd
        self.url = "http://127.0.0.1:\(port)/v1"
        let job = Job(fd: fd, tokens: tokens, intervalMs: intervalMs)
        guard DetachedThread.start({ job.serve() }) else {
            close(fd)
            return nil
        }
    }

    final class Job: Sendable {
        let fd: Int32
        let tokens: Int
        let intervalMs: Int
        init(fd: Int32, tokens: Int, intervalMs: Int) {
            self.fd = fd
            self.tokens = tokens
            self.intervalMs = intervalMs
        }

        func serve() {
            defer { close(fd) }
            let c = accept(fd, nil, nil)
            guard c >= 0 else { return }
            defer { close(c) }
            var one: Int32 = 1
            setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            // Read the request head and body (small JSON).
            var buf = [UInt8](repeating: 0, count: 65536)
            var got: [UInt8] = []
            while true {
                let n = buf.withUnsafeMutableBytes { recv(c, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                got.append(contentsOf: buf[0..<n])
                let text = String(decoding: got, as: UTF8.self)
                if let r = text.firstRange(of: "\r\n\r\n") {
                    let head = text[..<r.lowerBound].lowercased()
                    var length = 0
                    if let cl = head.firstRange(of: "content-length:") {
                        length = Int(head[cl.upperBound...].prefix { $0 != "\r" }.trimmingSpaces) ?? 0
                    }
                    if text.utf8.count - text.utf8.distance(from: text.startIndex, to: r.upperBound) >= length { break }
                }
            }
            send(
                c,
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            )
            for _ in 0..<tokens {
                let stamp = MonotonicClock.nanoseconds()
                let ev = #"data: {"choices":[{"index":0,"delta":{"content":"t\#(stamp);"}}]}"# + "\n\n"
                if !chunk(c, ev) { return }
                var ts = timespec(tv_sec: 0, tv_nsec: intervalMs * 1_000_000)
                var rem = timespec()
                nanosleep(&ts, &rem)
            }
            _ = chunk(c, #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\ndata: [DONE]\n\n")
            send(c, "0\r\n\r\n")
        }

        func chunk(_ c: Int32, _ s: String) -> Bool {
            send(c, String(s.utf8.count, radix: 16) + "\r\n" + s + "\r\n")
        }

        @discardableResult
        func send(_ c: Int32, _ s: String) -> Bool {
            let bytes = Array(s.utf8)
            var off = 0
            while off < bytes.count {
                let n = bytes.withUnsafeBytes { p -> Int in
                    guard let base = p.baseAddress else { return -1 }
                    return Glibc.send(c, base + off, bytes.count - off, Int32(MSG_NOSIGNAL))
                }
                if n <= 0 { return false }
                off += n
            }
            return true
        }
    }
}
