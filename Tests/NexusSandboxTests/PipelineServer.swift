import Glibc
import NexusSandbox
import Synchronization

/// An upstream HTTP server for smuggling tests that, like many real ones, answers every request it
/// has already received on a connection (pipelining) whatever `Connection: close` says, and closes
/// once the client has been quiet for 300 ms. It remembers each request line it answered.
final class PipelineServer: Sendable {
    let server: LoopbackServer
    let seen: T.HTTPServer.Lines
    var port: Int { server.port }
    var requestLines: [String] { seen.m.withLock { $0 } }

    init?() {
        let seen = T.HTTPServer.Lines()
        guard
            let s = LoopbackServer.start(handler: { fd in
                var tv = timeval(tv_sec: 0, tv_usec: 300_000)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                while true {
                    let head = T.readHead(fd)
                    guard head.hasSuffix("\r\n\r\n") else { return }
                    let line = String(head.split(separator: "\r\n").first ?? "")
                    seen.m.withLock { $0.append(line) }
                    let body = "served \(line)"
                    T.send(fd, "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                }
            })
        else { return nil }
        server = s
        self.seen = seen
    }

    func stop() { server.stop() }
}
