import NexusCore

/// One request head read by the egress proxy, parsed strictly so that what the policy checks is what
/// the upstream server reads: CONNECT needs `host:port`; any other method needs an absolute
/// `http://` target (no userinfo, no fragment) whose authority equals the single Host header; the body
/// is framed by one Content-Length or by chunked encoding, never both. Anything else is refused
/// with a reason, because a lenient parser here is a request-smuggling or allowlist-bypass hole.
struct ProxyRequest {
    enum Body: Equatable {
        case none
        case length(Int)
        case chunked
    }

    var method: String
    var version: String
    var host: HostName.Valid
    var port: Int
    /// Origin-form path for plain HTTP; nil for CONNECT.
    var path: String?
    /// Header lines as received (name, value), in order.
    var headers: [(name: String, value: String)]
    var body: Body

    var isConnect: Bool { path == nil }

    /// A request the proxy will not forward: what it answers and what the audit log records.
    struct Refusal: Error {
        var status = "400 Bad Request"
        var reason: String
        var method = "?"
        var target = "?"
        var port = 0
    }

    /// Hop-by-hop and proxy headers, never forwarded (Host is rewritten from the target).
    static let dropped: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate", "te", "trailer",
        "upgrade", "host",
    ]

    static func parse(_ head: [UInt8]) throws(Refusal) -> ProxyRequest {
        // What the audit log shows for a refusal: the request line's method and target, escaped.
        let shown = head.prefix { $0 != 13 && $0 != 10 }.split(separator: 32).map {
            HostName.printable(String(decoding: $0, as: UTF8.self))
        }
        var refusal = Refusal(reason: "", method: shown.first ?? "?", target: shown.count > 1 ? shown[1] : "?")
        func fail(_ why: String) -> Refusal {
            refusal.reason = why
            return refusal
        }
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var i = 0
        while i < head.count {
            let c = head[i]
            if c == 13 {
                guard i + 1 < head.count, head[i + 1] == 10 else { throw fail("bare CR in the request head") }
                lines.append(line)
                line = []
                i += 2
                continue
            }
            if c == 10 { throw fail("bare LF in the request head") }
            if c == 0 || (c < 0x20 && c != 9) || c == 0x7f {
                let byte = HostName.printable(String(decoding: [c], as: UTF8.self))
                throw fail("control character \(byte) in the request head")
            }
            line.append(c)
            i += 1
        }
        if !line.isEmpty { lines.append(line) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { throw fail("empty request") }
        let parts = first.split(separator: 32, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { throw fail("malformed request line") }
        let method = parts[0].uppercased()
        let target = parts[1]
        guard method.utf8.allSatisfy(isTokenByte) else { throw fail("malformed method") }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else { throw fail("unsupported HTTP version") }
        guard target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { throw fail("non-ASCII bytes in the target") }

        var headers: [(name: String, value: String)] = []
        for l in lines.dropFirst() {
            if l.first == 32 || l.first == 9 { throw fail("folded header line (obs-fold) is not accepted") }
            guard let colon = l.firstIndex(of: UInt8(ascii: ":")), colon > 0,
                l[..<colon].allSatisfy(isTokenByte)
            else { throw fail("malformed header line") }
            let value = l[(colon + 1)...].drop { $0 == 32 || $0 == 9 }
            let trimmed = value.reversed().drop { $0 == 32 || $0 == 9 }.reversed()
            headers.append(
                (String(decoding: l[..<colon], as: UTF8.self), String(decoding: Array(trimmed), as: UTF8.self)))
        }
        let hostHeaders = headers.filter { $0.name.lowercased() == "host" }.map(\.value)
        if hostHeaders.count > 1 { throw fail("duplicate Host headers") }

        let host: HostName.Valid
        let port: Int
        var path: String?
        do {
            if method == "CONNECT" {
                (host, port) = try HostName.authority(target, defaultPort: nil)
            } else {
                let (authority, p) = try absoluteForm(target)
                (host, port) = try HostName.authority(authority, defaultPort: 80)
                path = p
            }
        } catch let problem as HostName.Problem {
            throw fail(problem.reason)
        } catch let r as Refusal {
            throw fail(r.reason)
        } catch {
            throw fail("malformed target")
        }
        refusal.port = port
        if let h = hostHeaders.first {
            let given: (HostName.Valid, Int)
            // A Host without a port means 80 for plain HTTP; for CONNECT it names the target's port.
            do { given = try HostName.authority(h, defaultPort: method == "CONNECT" ? port : 80) } catch {
                throw fail("Host header: \(error.reason)")
            }
            if given.0 != host || given.1 != port {
                throw fail("Host header \"\(HostName.printable(h))\" does not match the request target")
            }
        }
        var body = Body.none
        if method != "CONNECT" { body = try framing(headers, version: parts[2], fail) }
        return ProxyRequest(
            method: method, version: parts[2], host: host, port: port, path: path, headers: headers, body: body)
    }

    /// Splits `http://authority/path?query` into authority and origin-form path.
    static func absoluteForm(_ target: String) throws -> (String, String) {
        let lower = target.lowercased()
        if lower.hasPrefix("https://") {
            throw Refusal(reason: "https:// goes through CONNECT, not as a plain request")
        }
        guard lower.hasPrefix("http://") else {
            throw Refusal(reason: "proxy requests need an absolute http:// URL (not origin-form or *)")
        }
        if target.contains("#") { throw Refusal(reason: "a fragment (#) does not belong in a request") }
        let rest = target.dropFirst(7)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = String(rest[..<end])
        var path = String(rest[end...])
        if path.isEmpty { path = "/" } else if path.hasPrefix("?") { path = "/" + path }
        return (authority, path)
    }

    /// Content-Length (all copies equal, digits only) or `Transfer-Encoding: chunked`, never both.
    static func framing(
        _ headers: [(name: String, value: String)], version: String, _ fail: (String) -> Refusal
    ) throws(Refusal) -> Body {
        let te = headers.filter { $0.name.lowercased() == "transfer-encoding" }.map(\.value)
        let cl = headers.filter { $0.name.lowercased() == "content-length" }.flatMap {
            $0.value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        }
        if !te.isEmpty {
            if !cl.isEmpty { throw fail("both Content-Length and Transfer-Encoding (a request-smuggling shape)") }
            if version == "HTTP/1.0" { throw fail("Transfer-Encoding in an HTTP/1.0 request") }
            guard te.count == 1, te[0].lowercased() == "chunked" else {
                throw fail("Transfer-Encoding other than a single chunked")
            }
            return .chunked
        }
        guard let first = cl.first else { return .none }
        guard cl.allSatisfy({ $0 == first }), (1...15).contains(first.utf8.count),
            first.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(first)
        else { throw fail("invalid or conflicting Content-Length") }
        return n == 0 ? .none : .length(n)
    }

    static func isTokenByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || "!#$%&'*+-.^_`|~".utf8.contains(c)
    }

    /// The head sent upstream: origin-form request line, the canonical Host, the client's end-to-end
    /// headers, and `Connection: close` (one request per upstream connection).
    func upstreamHead() -> [UInt8] {
        var named: Set<String> = Self.dropped
        for h in headers where h.name.lowercased() == "connection" {
            for token in h.value.split(separator: ",") { named.insert(token.trimmingSpaces.lowercased()) }
        }
        var out = "\(method) \(path ?? "/") \(version)\r\n"
        out += "Host: \(host.authority)\(port == 80 ? "" : ":\(port)")\r\n"
        for h in headers where !named.contains(h.name.lowercased()) { out += "\(h.name): \(h.value)\r\n" }
        out += "Connection: close\r\n\r\n"
        return Array(out.utf8)
    }
}
