import NexusCore

/// One `--allow-host` entry: an exact host, a `*.suffix` pattern or an IP address, with an optional
/// port (default: 80 and 443). Parsing refuses URLs, address ranges and anything that is not a host,
/// so a manifest typo cannot widen what a module may reach.
public struct HostRule: Sendable, Equatable, CustomStringConvertible {
    public enum Pattern: Sendable, Equatable {
        case exact(String)
        /// `*.example.com`: any name ending in `.example.com` (not `example.com` itself).
        case suffix(String)
        /// An IP literal: allowed even when private, loopback or link-local (explicit).
        case address(String)
    }

    public var pattern: Pattern
    /// nil = 80 and 443.
    public var port: Int?

    public static let defaultPorts = [80, 443]

    public init(pattern: Pattern, port: Int?) {
        self.pattern = pattern
        self.port = port
    }

    /// Parses `HOST`, `HOST:PORT`, `*.SUFFIX[:PORT]`, `IPV4[:PORT]`, `[IPV6][:PORT]`.
    public static func parse(_ text: String) throws(SandboxError) -> HostRule {
        func bad(_ why: String, _ hint: String = "give a host name such as api.example.com or api.example.com:8443")
            -> SandboxError
        { .badArgument("--allow-host \(text)", why, hint: hint) }
        let t = text.trimmingSpaces.lowercased()
        if t.isEmpty { throw bad("empty host") }
        if t.contains("://") { throw bad("is a URL, not a host", "give only the host name, e.g. api.example.com") }
        if t.contains("/") { throw bad("address ranges and paths are not allowed", "list each host or address") }
        var host = t
        var port: Int?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw bad("unclosed [ in IPv6 address") }
            let inner = String(host[host.index(after: host.startIndex)..<close])
            let rest = host[host.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw bad("unexpected text after ]") }
                port = try parsePort(String(rest.dropFirst()), bad)
            }
            guard IPAddress(parsing: inner) != nil else { throw bad("not an IPv6 address") }
            return HostRule(pattern: .address(inner), port: port)
        }
        let colons = host.filter { $0 == ":" }.count
        if colons > 1 {
            if IPAddress(parsing: host) != nil { return HostRule(pattern: .address(host), port: nil) }
            throw bad("not a host (IPv6 addresses go in brackets: [::1]:8080)")
        }
        if colons == 1, let c = host.lastIndex(of: ":") {
            port = try parsePort(String(host[host.index(after: c)...]), bad)
            host = String(host[..<c])
        }
        if host.hasSuffix(".") { host.removeLast() }
        if let ip = IPAddress(parsing: host) { return HostRule(pattern: .address(ip.description), port: port) }
        if host.hasPrefix("*.") {
            let suffix = String(host.dropFirst(2))
            guard isHostName(suffix), suffix.contains(".") else {
                throw bad("wildcards need a domain with a dot after them", "e.g. *.example.com")
            }
            return HostRule(pattern: .suffix(suffix), port: port)
        }
        if host.contains("*") { throw bad("only a leading *. wildcard is allowed", "e.g. *.example.com") }
        guard isHostName(host) else { throw bad("not a valid host name") }
        return HostRule(pattern: .exact(host), port: port)
    }

    private static func parsePort(_ s: String, _ bad: (String, String) -> SandboxError) throws(SandboxError) -> Int {
        guard let p = Int(s), (1...65535).contains(p) else {
            throw bad("port \"\(s)\" is not a number from 1 to 65535", "e.g. api.example.com:8443")
        }
        return p
    }

    static func isHostName(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        for label in s.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-") else {
                return false
            }
            for c in label.utf8 where !(c >= 97 && c <= 122 || c >= 48 && c <= 57 || c == 45 || c == 95) {
                return false
            }
        }
        return true
    }

    /// Whether a request for `host:port` matches (host already lower-cased, no trailing dot).
    public func matches(host: String, port: Int) -> Bool {
        guard port == self.port || (self.port == nil && Self.defaultPorts.contains(port)) else { return false }
        switch pattern {
        case .exact(let h): return host == h
        case .suffix(let s): return host.hasSuffix("." + s)
        case .address(let a): return IPAddress(parsing: host)?.description == a
        }
    }

    public var description: String {
        let h: String
        switch pattern {
        case .exact(let s): h = s
        case .suffix(let s): h = "*." + s
        case .address(let a): h = a.contains(":") ? "[\(a)]" : a
        }
        return port.map { "\(h):\($0)" } ?? h
    }
}
