/// One `--allow-host` entry: an exact host, a `*.suffix` pattern or an IP address, with an optional
/// port (default: 80 and 443). Parsing refuses URLs, address ranges and anything that is not a host,
/// so a manifest typo cannot widen what a module may reach. A service on this machine is named with
/// its port (`127.0.0.1:8080`, `[::1]:8080`, `localhost:8080`): that entry reaches that port on loopback
/// and nothing else there.
///
/// Pure text rules, so they live in the core: the sandbox's egress proxy enforces them, and the module host
/// checks manifests and writes approval prompts with the same parser without importing the sandbox.
public struct HostRule: Sendable, Equatable, CustomStringConvertible {
    /// Why an entry does not parse: the entry as the jailer's flag names it (`--allow-host X`), what is wrong,
    /// and the next step. Said as the jailer says a bad flag (`sandbox --allow-host X: why`).
    public struct ParseError: UserFacingError, Equatable {
        public var subject: String
        public var why: String
        public var hint: String?
        public init(subject: String, why: String, hint: String) {
            self.subject = subject
            self.why = why
            self.hint = hint
        }
        public var userMessage: String { "sandbox \(subject): \(why)" }
        public var exitCode: ExitStatus { .usage }
    }

    public enum Pattern: Sendable, Equatable {
        case exact(String)
        /// `*.example.com`: any name ending in `.example.com` (not `example.com` itself). Never reaches
        /// a loopback or private address, whatever the name resolves to.
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
    public static func parse(_ text: String) throws(ParseError) -> HostRule {
        func bad(_ why: String, _ hint: String = "give a host name such as api.example.com or api.example.com:8443")
            -> ParseError
        { ParseError(subject: "--allow-host \(HostName.printable(text))", why: why, hint: hint) }
        let t = text.trimmingSpaces.lowercased()
        if t.isEmpty { throw bad("empty host") }
        if t.contains("://") { throw bad("is a URL, not a host", "give only the host name, e.g. api.example.com") }
        if t.contains("/") { throw bad("address ranges and paths are not allowed", "list each host or address") }
        var host = t
        var port: Int?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw bad("unclosed [ in IPv6 address") }
            let rest = host[host.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw bad("unexpected text after ]") }
                port = try parsePort(String(rest.dropFirst()), bad)
            }
            host = String(host[...close])
        } else if host.filter({ $0 == ":" }).count > 1 {
            guard IPAddress(parsing: host) != nil else {
                throw bad("not a host (IPv6 addresses go in brackets: [::1]:8080)")
            }
        } else if let c = host.lastIndex(of: ":") {
            port = try parsePort(String(host[host.index(after: c)...]), bad)
            host = String(host[..<c])
        }
        if host.hasPrefix("*.") {
            let suffix = String(host.dropFirst(2)).droppingTrailingDot
            guard HostName.nameProblem(suffix) == nil, suffix.contains(".") else {
                throw bad("wildcards need a domain with a dot after them", "e.g. *.example.com")
            }
            return HostRule(pattern: .suffix(suffix), port: port)
        }
        if host.contains("*") { throw bad("only a leading *. wildcard is allowed", "e.g. *.example.com") }
        let valid: HostName.Valid
        do { valid = try HostName.validate(host) } catch { throw bad("not a valid host: \(error.reason)") }
        let rule = HostRule(pattern: valid.address.map { .address($0.description) } ?? .exact(valid.text), port: port)
        if let ip = valid.address, let kind = SpecialAddresses.classify(ip)?.kind,
            kind == .unspecified || kind == .multicast
        {
            throw bad("\(ip) is not an address a connection can go to", "name the service's own address")
        }
        if rule.reachesThisMachine && port == nil {
            throw bad(
                "a service on this machine needs its port", "e.g. \(valid.authority):8080 (only that port is reachable)"
            )
        }
        return rule
    }

    private static func parsePort(_ s: String, _ bad: (String, String) -> ParseError) throws(ParseError) -> Int {
        guard let p = HostName.strictPort(s) else {
            throw bad("port \"\(HostName.printable(s))\" is not a number from 1 to 65535", "e.g. api.example.com:8443")
        }
        return p
    }

    /// Whether `s` (lower case) is a host name of RFC 1123 labels (`--resolve` names use this).
    public static func isHostName(_ s: String) -> Bool { HostName.nameProblem(s.droppingTrailingDot) == nil }

    /// An entry for loopback (`127.0.0.1:8080`, `[::1]:8080`, `localhost:8080`): a service on this machine.
    public var reachesThisMachine: Bool {
        switch pattern {
        case .exact(let h): return h == "localhost"
        case .suffix: return false
        case .address(let a): return IPAddress(parsing: a)?.isLoopback == true
        }
    }

    /// Whether a request for `host:port` matches (`host` as `HostName.validate` returns it).
    public func matches(host: String, port: Int) -> Bool {
        guard port == self.port || (self.port == nil && Self.defaultPorts.contains(port)) else { return false }
        switch pattern {
        case .exact(let h): return host == h
        case .suffix(let s): return host.hasSuffix("." + s)
        case .address(let a): return host == a
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

    /// `network.allow` as an approval shows it: the hosts, and entries for this machine said plainly
    /// ("may reach a service on this machine: 127.0.0.1:8080"). Entries that do not parse are shown as
    /// written; the jailer refuses them at launch.
    public static func approvalText(_ entries: [String]) -> String {
        if entries.isEmpty { return "none" }
        var remote: [String] = []
        var local: [String] = []
        for e in entries {
            // An entry that does not parse is not local: it is listed as remote, where the proxy refuses it.
            if let r = try? parse(e), r.reachesThisMachine { local.append(r.description) } else { remote.append(e) }
        }
        var parts: [String] = []
        if !remote.isEmpty { parts.append(remote.joined(separator: ", ")) }
        if !local.isEmpty { parts.append("may reach a service on this machine: " + local.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }
}

extension String {
    var droppingTrailingDot: String { hasSuffix(".") ? String(dropLast()) : self }
}
