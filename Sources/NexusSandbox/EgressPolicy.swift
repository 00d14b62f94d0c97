#if canImport(Glibc)
    import Glibc
#endif

/// Decides whether the egress proxy may open a connection: the host must match the allowlist, its
/// name is resolved here on the host (never inside the sandbox), and addresses that are loopback,
/// private or link-local are refused unless that exact address is allowed explicitly.
public struct EgressPolicy: Sendable {
    public enum Decision: Sendable, Equatable {
        case allow([IPAddress])
        case deny(String)
    }

    public var rules: [HostRule]
    /// Names pinned to addresses instead of DNS (`--resolve`).
    public var pins: [String: String]

    public init(rules: [HostRule], pins: [String: String] = [:]) {
        self.rules = rules
        self.pins = pins
    }

    /// Lower-cases, strips brackets and one trailing dot.
    public static func normalize(_ host: String) -> String {
        var h = host.lowercased()
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h.hasSuffix(".") { h.removeLast() }
        return h
    }

    public func decide(host rawHost: String, port: Int) -> Decision {
        let host = Self.normalize(rawHost)
        guard !host.isEmpty, (1...65535).contains(port) else { return .deny("invalid host or port") }
        guard rules.contains(where: { $0.matches(host: host, port: port) }) else {
            return .deny("\(host):\(port) is not in the network allowlist")
        }
        let candidates: [IPAddress]
        if let ip = IPAddress(parsing: host) {
            candidates = [ip]
        } else if let pin = pins[host], let ip = IPAddress(parsing: pin) {
            candidates = [ip]
        } else {
            candidates = Self.resolve(host)
            if candidates.isEmpty { return .deny("\(host) does not resolve") }
        }
        var refused: [String] = []
        let usable = candidates.filter { ip in
            guard let why = ip.nonPublicReason else { return true }
            if explicitlyAllowed(ip, port: port) { return true }
            refused.append("\(ip) (\(why))")
            return false
        }
        if usable.isEmpty {
            return .deny(
                "\(host) resolves to \(refused.joined(separator: ", ")), which is not allowed unless listed explicitly")
        }
        return .allow(usable)
    }

    func explicitlyAllowed(_ ip: IPAddress, port: Int) -> Bool {
        rules.contains { rule in
            if case .address(let a) = rule.pattern { return a == ip.description && rule.matches(host: a, port: port) }
            return false
        }
    }

    static func resolve(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &res) == 0 else { return [] }
        defer { freeaddrinfo(res) }
        var out: [IPAddress] = []
        var p = res
        while let ai = p {
            if let sa = ai.pointee.ai_addr {
                if ai.pointee.ai_family == AF_INET {
                    let a = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    out.append(IPAddress(bytes: withUnsafeBytes(of: a) { Array($0) }))
                } else if ai.pointee.ai_family == AF_INET6 {
                    let a = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    out.append(IPAddress(bytes: withUnsafeBytes(of: a) { Array($0) }))
                }
            }
            p = ai.pointee.ai_next
        }
        var seen: [IPAddress] = []
        for a in out where !seen.contains(a) { seen.append(a) }
        return seen
    }
}
