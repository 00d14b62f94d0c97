import Glibc
import NexusSandbox
import Synchronization

/// Helpers for sandbox tests: temp dirs, raw socket I/O, a tiny HTTP server on 127.0.0.1.
enum T {
    static func tempDir(under parent: String = "/tmp") -> String {
        var template = Array("\(parent)/nexus-sbtest-XXXXXX".utf8CString)
        _ = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func send(_ fd: Int32, _ s: String) {
        let b = Array(s.utf8)
        _ = b.withUnsafeBytes { write(fd, $0.baseAddress!, b.count) }
    }

    static func readAll(_ fd: Int32) -> String {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buf, 65536)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func readHead(_ fd: Int32) -> String {
        var out: [UInt8] = []
        var b: UInt8 = 0
        while read(fd, &b, 1) == 1 {
            out.append(b)
            if out.count >= 4 && out.suffix(4) == [13, 10, 13, 10] { break }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An HTTP server answering every request with `body`, remembering request lines.
    final class HTTPServer: Sendable {
        let server: LoopbackServer
        final class Lines: Sendable { let m = Mutex<[String]>([]) }
        let seen: Lines
        var port: Int { server.port }
        var requestLines: [String] { seen.m.withLock { $0 } }

        init?(body: String) {
            let seen = Lines()
            guard
                let s = LoopbackServer.start(handler: { fd in
                    let head = T.readHead(fd)
                    seen.m.withLock { $0.append(String(head.split(separator: "\r\n").first ?? "")) }
                    T.send(
                        fd, "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
                })
            else { return nil }
            server = s
            self.seen = seen
        }

        func stop() { server.stop() }
    }
}
