import NexusCore
import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// One client connection to the egress proxy: reads the request head, applies the policy, then
/// tunnels (CONNECT) or forwards (plain HTTP, one request per connection) and logs what happened.
struct ProxyConnection {
    let proxy: EgressProxy
    let client: Int32
    static let maxHead = 32 * 1024

    func serve() {
        setTimeout(client, seconds: 30)
        guard let (head, extra) = readHead() else { return }
        guard let firstLineEnd = head.firstRange(of: "\r\n") else { return }
        let requestLine = head[..<firstLineEnd.lowerBound].split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3 else {
            Self.respond(client, status: "400 Bad Request", reason: "malformed request line")
            return
        }
        let method = String(requestLine[0]).uppercased()
        let target = String(requestLine[1])
        let version = String(requestLine[2])
        if method == "CONNECT" {
            guard let (host, port) = Self.splitHostPort(target, defaultPort: 443) else {
                Self.respond(client, status: "400 Bad Request", reason: "CONNECT target must be host:port")
                return
            }
            tunnel(host: host, port: port, extra: extra)
        } else {
            guard let url = Self.parseAbsoluteURL(target) else {
                Self.respond(client, status: "400 Bad Request", reason: "proxy requests need an absolute http:// URL")
                return
            }
            let headers = head[firstLineEnd.upperBound...]
            forward(
                method: method, host: url.host, port: url.port, path: url.path, version: version,
                headers: String(headers), extra: extra)
        }
    }

    private func tunnel(host: String, port: Int, extra: [UInt8]) {
        var record = NetworkRecord(host: host, port: port, method: "CONNECT", path: nil, verdict: .allowed, reason: nil)
        guard let upstream = open(host: host, port: port, record: &record) else { return }
        defer {
            proxy.track(upstream, false)
            close(upstream)
        }
        guard Descriptor.writeAll(client, Array("HTTP/1.1 200 Connection Established\r\n\r\n".utf8)) else { return }
        if !extra.isEmpty {
            _ = Descriptor.writeAll(upstream, extra)
            record.bytesUp += extra.count
        }
        relay(upstream, &record, recording: nil)
        proxy.log(record)
        if proxy.recordDir != nil { saveRecording(record, body: nil) }
    }

    private func forward(
        method: String, host: String, port: Int, path: String, version: String, headers: String, extra: [UInt8]
    ) {
        var record = NetworkRecord(host: host, port: port, method: method, path: path, verdict: .allowed, reason: nil)
        guard let upstream = open(host: host, port: port, record: &record) else { return }
        defer {
            proxy.track(upstream, false)
            close(upstream)
        }
        var out = "\(method) \(path) \(version)\r\n"
        for line in headers.split(separator: "\r\n", omittingEmptySubsequences: true) {
            let name = line.prefix { $0 != ":" }.lowercased()
            if name == "proxy-connection" || name == "proxy-authorization" || name == "connection"
                || name == "keep-alive"
            {
                continue
            }
            out += line + "\r\n"
        }
        out += "Connection: close\r\n\r\n"
        let bytes = Array(out.utf8) + extra
        guard Descriptor.writeAll(upstream, bytes) else { return }
        record.bytesUp += bytes.count
        var body: [UInt8]? = proxy.recordDir != nil ? [] : nil
        relay(upstream, &record, recording: &body)
        proxy.log(record)
        if proxy.recordDir != nil { saveRecording(record, body: body) }
    }

    /// Applies the policy and connects; answers 403/502 itself and returns nil when it cannot.
    private func open(host: String, port: Int, record: inout NetworkRecord) -> Int32? {
        switch proxy.policy.decide(host: host, port: port) {
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
            record.reason = "could not connect to \(host):\(port)"
            proxy.log(record)
            Self.respond(client, status: "502 Bad Gateway", reason: record.reason ?? "")
            return nil
        }
    }

    /// Copies both ways until upstream finishes (the client may half-close first), counting bytes
    /// against the proxy's cap.
    private func relay(_ upstream: Int32, _ record: inout NetworkRecord, recording: UnsafeMutablePointer<[UInt8]?>?) {
        var buf = [UInt8](repeating: 0, count: 65536)
        var clientOpen = true
        setTimeout(upstream, seconds: 0)
        setTimeout(client, seconds: 0)
        while true {
            var fds: [pollfd] = []
            if clientOpen { fds.append(pollfd(fd: client, events: Int16(POLLIN), revents: 0)) }
            fds.append(pollfd(fd: upstream, events: Int16(POLLIN), revents: 0))
            let n = poll(&fds, nfds_t(fds.count), 120_000)
            if n == 0 { return }  // idle two minutes
            if n < 0 { if errno == EINTR { continue } else { return } }
            for p in fds where p.revents != 0 {
                let from = p.fd
                let to = p.fd == client ? upstream : client
                let r = buf.withUnsafeMutableBytes { read(from, $0.baseAddress, 65536) }
                if r <= 0 {
                    // Upstream finished: return, so the record is logged before the client sees EOF.
                    if from == upstream { return }
                    clientOpen = false
                    shutdown(upstream, Int32(SHUT_WR))
                    continue
                }
                guard proxy.consume(r) else {
                    record.reason = "byte limit reached"
                    return
                }
                let chunk = Array(buf[0..<r])
                if !Descriptor.writeAll(to, chunk) { return }
                if from == client {
                    record.bytesUp += r
                } else {
                    record.bytesDown += r
                    if let recording, recording.pointee != nil, (recording.pointee?.count ?? 0) < 1 << 20 {
                        recording.pointee?.append(contentsOf: chunk)
                    }
                }
            }
        }
    }

    private func relay(_ upstream: Int32, _ record: inout NetworkRecord, recording body: inout [UInt8]?) {
        withUnsafeMutablePointer(to: &body) { relay(upstream, &record, recording: $0) }
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

    private func readHead() -> (String, [UInt8])? {
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while data.count < Self.maxHead {
            let n = buf.withUnsafeMutableBytes { read(client, $0.baseAddress, 4096) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            data.append(contentsOf: buf[0..<n])
            if let end = Self.headEnd(data) {
                return (String(decoding: data[0..<end], as: UTF8.self), Array(data[end...]))
            }
        }
        Self.respond(client, status: "431 Request Header Fields Too Large", reason: "request head over 32 KB")
        return nil
    }

    static func headEnd(_ d: [UInt8]) -> Int? {
        guard d.count >= 4 else { return nil }
        for i in 0...(d.count - 4) where d[i] == 13 && d[i + 1] == 10 && d[i + 2] == 13 && d[i + 3] == 10 {
            return i + 4
        }
        return nil
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

    static func splitHostPort(_ s: String, defaultPort: Int) -> (String, Int)? {
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]") else { return nil }
            let host = String(s[s.index(after: s.startIndex)..<close])
            let rest = s[s.index(after: close)...]
            if rest.isEmpty { return (host, defaultPort) }
            guard rest.hasPrefix(":"), let p = Int(rest.dropFirst()), (1...65535).contains(p) else { return nil }
            return (host, p)
        }
        guard let c = s.lastIndex(of: ":") else { return s.isEmpty ? nil : (s, defaultPort) }
        guard let p = Int(s[s.index(after: c)...]), (1...65535).contains(p) else { return nil }
        let host = String(s[..<c])
        return host.isEmpty ? nil : (host, p)
    }

    static func parseAbsoluteURL(_ s: String) -> (host: String, port: Int, path: String)? {
        guard s.lowercased().hasPrefix("http://") else { return nil }
        let rest = s.dropFirst(7)
        let authEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = String(rest[..<authEnd])
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        var path = String(rest[authEnd...])
        if path.isEmpty { path = "/" } else if path.hasPrefix("?") { path = "/" + path }
        guard let (host, port) = splitHostPort(authority, defaultPort: 80) else { return nil }
        return (host, port, path)
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
