import NexusCore
import NexusPOSIX

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
            Descriptor.close(fd)
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
            defer { Descriptor.close(fd) }
            guard let c = LoopbackSocket.accept(fd) else { return }
            defer { Descriptor.close(c) }
            LoopbackSocket.sendAtOnce(c)
            // Read the request head and body (small JSON).
            var buf = [UInt8](repeating: 0, count: 65536)
            var got: [UInt8] = []
            while true {
                let n = LoopbackSocket.receive(c, into: &buf)
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
                Pause.milliseconds(intervalMs)
            }
            _ = chunk(c, #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\ndata: [DONE]\n\n")
            send(c, "0\r\n\r\n")
        }

        func chunk(_ c: Int32, _ s: String) -> Bool {
            send(c, String(s.utf8.count, radix: 16) + "\r\n" + s + "\r\n")
        }

        @discardableResult
        func send(_ c: Int32, _ s: String) -> Bool { LoopbackSocket.sendAll(c, Array(s.utf8)) }
    }
}
