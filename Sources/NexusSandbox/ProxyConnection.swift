import NexusCore
import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// One client connection to the egress proxy: reads each request head, parses it strictly
/// (`ProxyRequest`), applies the policy, then tunnels (CONNECT) or forwards (plain HTTP, one upstream
/// connection per request) and logs what happened. Pipelined requests are each parsed, checked and
/// logged in turn; a body is forwarded only as far as its framing says, so nothing reaches an upstream
/// server that the policy did not see.
struct ProxyConnection {
    let proxy: EgressProxy
    let client: Int32

    func serve() {
        setTimeout(client, seconds: 30)
        var reader = ClientReader(fd: client)
        while true {
            let head: [UInt8]
            switch reader.readHead() {
            case .closed: return
            case .tooLarge:
                refuse(.init(status: "431 Request Header Fields Too Large", reason: "request head over 32 KB"))
                return
            case .head(let h): head = h
            }
            let request: ProxyRequest
            do { request = try ProxyRequest.parse(head) } catch {
                refuse(error)
                return
            }
            if request.isConnect {
                tunnel(request, &reader)
                return
            }
            // Another request follows only when the client already sent it (pipelining); a client
            // waiting for the end of a close-delimited response gets its EOF.
            guard forward(request, &reader), reader.hasMore() else { return }
        }
    }

    /// Answers a request that could not be parsed or validated, and logs it as blocked.
    private func refuse(_ r: ProxyRequest.Refusal) {
        let record = NetworkRecord(
            host: r.target, port: r.port, method: r.method, path: nil, verdict: .blocked, reason: r.reason)
        proxy.log(record)
        Self.respond(client, status: r.status, reason: r.reason)
    }

    private func tunnel(_ request: ProxyRequest, _ reader: inout ClientReader) {
        var record = NetworkRecord(
            host: request.host.authority, port: request.port, method: "CONNECT", path: nil, verdict: .allowed,
            reason: nil)
        guard let upstream = open(request, record: &record) else { return }
        defer {
            proxy.track(upstream, false)
            close(upstream)
        }
        guard Descriptor.writeAll(client, Array("HTTP/1.1 200 Connection Established\r\n\r\n".utf8)) else { return }
        let extra = reader.drain()
        if !extra.isEmpty {
            _ = Descriptor.writeAll(upstream, extra)
            record.bytesUp += extra.count
        }
        _ = relay(upstream, &record, bothWays: true, keepBody: false)
        proxy.log(record)
        if proxy.recordDir != nil { saveRecording(record, body: nil) }
    }

    /// Sends one plain-HTTP request upstream and relays the response; false when the connection cannot
    /// go on (refused, upstream failed, body cut short).
    private func forward(_ request: ProxyRequest, _ reader: inout ClientReader) -> Bool {
        var record = NetworkRecord(
            host: request.host.authority, port: request.port, method: request.method, path: request.path,
            verdict: .allowed, reason: nil)
        guard let upstream = open(request, record: &record) else { return false }
        defer {
            proxy.track(upstream, false)
            close(upstream)
        }
        let head = request.upstreamHead()
        guard Descriptor.writeAll(upstream, head) else {
            record.reason = "upstream closed before the request was sent"
            proxy.log(record)
            return false
        }
        record.bytesUp += head.count
        var up = 0
        let sink: ([UInt8]) -> Bool = { chunk in
            guard proxy.consume(chunk.count), Descriptor.writeAll(upstream, chunk) else { return false }
            up += chunk.count
            return true
        }
        var bodyProblem: String?
        switch request.body {
        case .none: break
        case .length(let n): if !reader.forward(count: n, to: sink) { bodyProblem = "request body cut short" }
        case .chunked: bodyProblem = reader.forwardChunked(to: sink)
        }
        record.bytesUp += up
        if let bodyProblem {
            record.reason = bodyProblem
            proxy.log(record)
            return false
        }
        let (complete, body) = relay(upstream, &record, bothWays: false, keepBody: proxy.recordDir != nil)
        proxy.log(record)
        if proxy.recordDir != nil { saveRecording(record, body: body) }
        return complete
    }

    /// Applies the policy and connects; answers 403/502 itself and returns nil when it cannot.
    private func open(_ request: ProxyRequest, record: inout NetworkRecord) -> Int32? {
        let port = request.port
        switch proxy.policy.decide(request.host, port: port) {
        case .deny(let reason):
            record.verdict = .blocked
            record.reason = reason
            proxy.log(record)
            Self.respond(client, status: "403 Forbidden", reason: reason)
            return nil
        case .allow(let addresses):
            for ip in addresses {
                if let fd = Self.connect(ip, port: port) {
                    proxy.track(fd, true)
                    return fd
                }
            }
            record.verdict = .blocked
            record.reason = "could not connect to \(request.host.authority):\(port)"
            proxy.log(record)
            Self.respond(client, status: "502 Bad Gateway", reason: record.reason ?? "")
            return nil
        }
    }

    /// Copies upstream to the client until upstream finishes, and the client's bytes upstream when
    /// `bothWays` (a tunnel; the client may half-close first). Counts bytes against the proxy's cap.
    /// Returns whether upstream finished (not a cap, timeout or write failure), and the response body
    /// when `keepBody` (first MiB, for integration recordings).
    private func relay(
        _ upstream: Int32, _ record: inout NetworkRecord, bothWays: Bool, keepBody: Bool
    ) -> (Bool, [UInt8]?) {
        var buf = [UInt8](repeating: 0, count: 65536)
        var body: [UInt8]? = keepBody ? [] : nil
        var clientOpen = bothWays
        setTimeout(upstream, seconds: 0)
        if bothWays { setTimeout(client, seconds: 0) }
        while true {
            var fds: [pollfd] = []
            if clientOpen { fds.append(pollfd(fd: client, events: Int16(POLLIN), revents: 0)) }
            fds.append(pollfd(fd: upstream, events: Int16(POLLIN), revents: 0))
            let n = poll(&fds, nfds_t(fds.count), 120_000)
            if n == 0 {
                record.reason = "idle for two minutes"
                return (false, body)
            }
            if n < 0 { if errno == EINTR { continue } else { return (false, body) } }
            for p in fds where p.revents != 0 {
                let from = p.fd
                let to = p.fd == client ? upstream : client
                let r = buf.withUnsafeMutableBytes { read(from, $0.baseAddress, 65536) }
                if r <= 0 {
                    // Upstream finished: return, so the record is logged before the client sees EOF.
                    if from == upstream { return (true, body) }
                    clientOpen = false
                    shutdown(upstream, Int32(SHUT_WR))
                    continue
                }
                guard proxy.consume(r) else {
                    record.reason = "byte limit reached"
                    return (false, body)
                }
                let chunk = Array(buf[0..<r])
                if !Descriptor.writeAll(to, chunk) { return (false, body) }
                if from == client {
                    record.bytesUp += r
                } else {
                    record.bytesDown += r
                    if body != nil, (body?.count ?? 0) < 1 << 20 { body?.append(contentsOf: chunk) }
                }
            }
        }
    }

    /// Integration mode: the response (plain HTTP) or its metadata (HTTPS) as a regression fixture.
    private func saveRecording(_ record: NetworkRecord, body: [UInt8]?) {
        guard let dir = proxy.recordDir else { return }
        let n = proxy.nextRecordingNumber()
        var meta = record.json
        if case .object(var o) = meta, body != nil {
            o["response_file"] = .string("\(n).http")
            meta = .object(o)
        }
        _ = writeText(dir + "/fixtures.jsonl", meta.serialized + "\n", create: true, append: true)
        if let body { _ = writeText(dir + "/\(n).http", String(decoding: body, as: UTF8.self), create: true) }
    }

    /// An error answer the module's code can read: status, `X-Nexus-Block-Reason`, and a text body.
    static func respond(_ fd: Int32, status: String, reason: String) {
        let clean = reason.replacingAll("\r", with: " ").replacingAll("\n", with: " ")
        let body = "nexus sandbox: \(status.lowercased().contains("403") ? "blocked" : "refused"): \(clean)\n"
        let text =
            "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nX-Nexus-Block-Reason: \(clean)\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = Descriptor.writeAll(fd, Array(text.utf8))
    }

    static func connect(_ ip: IPAddress, port: Int) -> Int32? {
        let family = ip.isV4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        setTimeout(fd, seconds: 10, send: true)
        var rc: Int32
        if ip.isV4 {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &a.sin_addr) { raw in for i in 0..<4 { raw[i] = ip.bytes[i] } }
            rc = withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } else {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &a.sin6_addr) { raw in for i in 0..<16 { raw[i] = ip.bytes[i] } }
            rc = withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        if rc != 0 {
            close(fd)
            return nil
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }
}

/// SO_RCVTIMEO (and SO_SNDTIMEO when `send`); 0 clears.
func setTimeout(_ fd: Int32, seconds: Int, send: Bool = false) {
    var tv = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    if send { setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size)) }
}
