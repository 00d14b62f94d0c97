import NexusCore

#if canImport(Glibc)
    import Glibc
#endif

/// Decides whether the egress proxy may open a connection: the host must be a valid host
/// (`HostName`) that matches the allowlist, its name is resolved here on the host (never inside the
/// sandbox), and the addresses returned are the ones connected to, so a DNS answer cannot swap in a
/// private address after the check. Non-public addresses are reached only when named explicitly:
/// loopback only through a `127.0.0.1:PORT`, `[::1]:PORT` or `localhost:PORT` entry on that port; other
/// private addresses by their literal or through an exact name whose address is also listed;
/// a wildcard never.
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

    /// Validates, matches and resolves `rawHost` (as the client wrote it; `[v6]` brackets allowed).
    public func decide(host rawHost: String, port: Int) -> Decision {
        let valid: HostName.Valid
        do { valid = try HostName.validate(rawHost) } catch { return .deny("not a valid host: \(error.reason)") }
        return decide(valid, port: port)
    }

    public func decide(_ valid: HostName.Valid, port: Int) -> Decision {
        let host = valid.text
        guard (1...65535).contains(port) else { return .deny("port \(port) is not from 1 to 65535") }
        let matching = rules.filter { $0.matches(host: host, port: port) }
        guard !matching.isEmpty else { return .deny("\(valid.authority):\(port) is not in the network allowlist") }
        let candidates: [IPAddress]
        if let ip = valid.address {
            candidates = [ip]
        } else if host == "localhost" {
            // Never asked of DNS: localhost is this machine.
            candidates = [IPAddress(bytes: [127, 0, 0, 1]), IPAddress(bytes: [UInt8](repeating: 0, count: 15) + [1])]
        } else if let pin = pins[host], let ip = IPAddress(parsing: pin) {
            candidates = [ip]
        } else {
            candidates = Self.resolve(host)
            if candidates.isEmpty { return .deny("\(host) does not resolve") }
        }
        var refused: [String] = []
        let usable = candidates.filter { ip in
            guard let special = SpecialAddresses.classify(ip) else { return true }
            if let why = permitNonPublic(ip, special.kind, valid, matching, port: port) {
                refused.append("\(ip) (\(special.reason); \(why))")
                return false
            }
            return true
        }
        if usable.isEmpty {
            return .deny("\(host) resolves to \(refused.joined(separator: ", "))")
        }
        return .allow(usable)
    }

    /// nil when this non-public address may be reached for this request, else why not.
    func permitNonPublic(
        _ ip: IPAddress, _ kind: SpecialAddresses.Kind, _ valid: HostName.Valid, _ matching: [HostRule], port: Int
    ) -> String? {
        if kind == .unspecified || kind == .multicast { return "never reachable" }
        let wildcardOnly = matching.allSatisfy { if case .suffix = $0.pattern { true } else { false } }
        if wildcardOnly { return "a wildcard entry never reaches a non-public address" }
        if valid.address != nil { return nil }  // the literal itself matched an address entry
        if kind == .loopback {
            let viaLocalhost = valid.text == "localhost" && matching.contains { $0.reachesThisMachine }
            return viaLocalhost ? nil : "only a 127.0.0.1:PORT or localhost:PORT entry reaches this machine"
        }
        return explicitlyAllowed(ip, port: port) ? nil : "not allowed unless the address is listed explicitly"
    }

    func explicitlyAllowed(_ ip: IPAddress, port: Int) -> Bool {
        rules.contains { rule in
            if case .address(let a) = rule.pattern { return a == ip.description && rule.matches(host: a, port: port) }
            return false
        }
    }

    /// getaddrinfo on a validated name (ASCII labels only, so the C string is the whole name).
    static func resolve(_ host: String) -> [IPAddress] {
        guard HostName.nameProblem(host) == nil || host == "localhost" else { return [] }
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
