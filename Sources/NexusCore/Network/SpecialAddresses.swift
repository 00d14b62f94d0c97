/// The IANA IPv4 and IPv6 special-purpose address registries (RFC 6890 and successors), as the
/// egress proxy reads them: every block that is not globally reachable, plus the IPv6 forms that
/// carry an IPv4 address inside (mapped, compatible, translated, NAT64, 6to4, Teredo), so a private
/// address cannot be reached by writing it in IPv6 clothing. One table, so the list is reviewable.
public enum SpecialAddresses {
    public enum Kind: Sendable, Equatable {
        case loopback
        /// 0.0.0.0 and `::` connect to the machine itself on Linux: never allowed, even explicitly.
        case unspecified
        case privateNetwork
        case linkLocal
        /// Multicast and broadcast: never a TCP peer.
        case multicast
        /// Documentation, benchmarking, reserved, deprecated and tunnelling blocks.
        case reserved
    }

    public struct Match: Sendable, Equatable {
        public var kind: Kind
        /// "loopback", "private", "link-local", "benchmarking (198.18.0.0/15)", ...
        public var reason: String
    }

    struct Block {
        var prefix: [UInt8]
        var bits: Int
        var kind: Kind
        var name: String
    }

    static func v4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, _ bits: Int, _ kind: Kind, _ name: String) -> Block {
        Block(prefix: [a, b, c, d], bits: bits, kind: kind, name: name)
    }

    static func v6(_ words: [UInt16], _ bits: Int, _ kind: Kind, _ name: String) -> Block {
        var p: [UInt8] = []
        for w in words { p += [UInt8(w >> 8), UInt8(w & 0xff)] }
        return Block(prefix: p + [UInt8](repeating: 0, count: 16 - p.count), bits: bits, kind: kind, name: name)
    }

    /// IPv4 blocks that are not globally reachable (IANA ipv4-address-space special registry).
    static let ipv4: [Block] = [
        v4(0, 0, 0, 0, 8, .unspecified, "unspecified (\"this network\", 0.0.0.0/8)"),
        v4(10, 0, 0, 0, 8, .privateNetwork, "private"),
        v4(100, 64, 0, 0, 10, .privateNetwork, "shared (CGNAT, 100.64.0.0/10)"),
        v4(127, 0, 0, 0, 8, .loopback, "loopback"),
        v4(169, 254, 0, 0, 16, .linkLocal, "link-local"),
        v4(172, 16, 0, 0, 12, .privateNetwork, "private"),
        v4(192, 0, 0, 0, 24, .reserved, "IETF protocol assignments (192.0.0.0/24)"),
        v4(192, 0, 2, 0, 24, .reserved, "documentation (192.0.2.0/24)"),
        v4(192, 88, 99, 0, 24, .reserved, "deprecated 6to4 relay anycast (192.88.99.0/24)"),
        v4(192, 168, 0, 0, 16, .privateNetwork, "private"),
        v4(198, 18, 0, 0, 15, .reserved, "benchmarking (198.18.0.0/15)"),
        v4(198, 51, 100, 0, 24, .reserved, "documentation (198.51.100.0/24)"),
        v4(203, 0, 113, 0, 24, .reserved, "documentation (203.0.113.0/24)"),
        v4(224, 0, 0, 0, 4, .multicast, "multicast"),
        v4(255, 255, 255, 255, 32, .multicast, "broadcast"),
        v4(240, 0, 0, 0, 4, .reserved, "reserved (240.0.0.0/4)"),
    ]

    /// IPv6 blocks that are not globally reachable, most specific first. Blocks that embed an IPv4
    /// address are handled before this table (see `classify`).
    static let ipv6: [Block] = [
        v6([], 128, .unspecified, "unspecified"),
        v6([0, 0, 0, 0, 0, 0, 0, 1], 128, .loopback, "loopback"),
        v6([0x64, 0xff9b, 1], 48, .reserved, "local-use NAT64 (64:ff9b:1::/48)"),
        v6([0x100], 64, .reserved, "discard-only (100::/64)"),
        v6([0x2001, 0], 32, .reserved, "Teredo tunnel (2001::/32)"),
        v6([0x2001, 0x2], 48, .reserved, "benchmarking (2001:2::/48)"),
        v6([0x2001, 0xdb8], 32, .reserved, "documentation (2001:db8::/32)"),
        v6([0x2001], 23, .reserved, "IETF protocol assignments (2001::/23)"),
        v6([0x2002], 16, .reserved, "deprecated 6to4 (2002::/16)"),
        v6([0x3fff], 20, .reserved, "documentation (3fff::/20)"),
        v6([0x5f00], 16, .reserved, "SRv6 segment identifiers (5f00::/16)"),
        v6([0xfc00], 7, .privateNetwork, "private (unique local fc00::/7)"),
        v6([0xfe80], 10, .linkLocal, "link-local"),
        v6([0xfec0], 10, .privateNetwork, "deprecated site-local (fec0::/10)"),
        v6([0xff00], 8, .multicast, "multicast"),
    ]

    static func contains(_ b: Block, _ bytes: [UInt8]) -> Bool {
        guard b.prefix.count == bytes.count else { return false }
        var left = b.bits
        for i in 0..<bytes.count where left > 0 {
            let take = min(8, left)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - take))
            if bytes[i] & mask != b.prefix[i] & mask { return false }
            left -= take
        }
        return true
    }

    /// What kind of non-public address this is, or nil for a globally reachable one.
    public static func classify(_ ip: IPAddress) -> Match? {
        let b = ip.bytes
        if ip.isV4 {
            return ipv4.first { contains($0, b) }.map { Match(kind: $0.kind, reason: $0.name) }
        }
        guard b.count == 16 else { return Match(kind: .reserved, reason: "malformed address") }
        let zeros = { (r: Range<Int>) in b[r].allSatisfy { $0 == 0 } }
        let tail = IPAddress(bytes: Array(b[12..<16]))
        // ::ffff:a.b.c.d reaches a.b.c.d itself through a dual-stack socket.
        if zeros(0..<10), b[10] == 0xff, b[11] == 0xff { return classify(tail) }
        // 64:ff9b::a.b.c.d is translated to a.b.c.d by a NAT64 gateway: public when a.b.c.d is.
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xff, b[3] == 0x9b, zeros(4..<12) {
            return classify(tail).map {
                Match(kind: $0.kind, reason: "\($0.reason) (\(tail) inside NAT64 64:ff9b::/96)")
            }
        }
        if let named = ipv6.first(where: { contains($0, b) }) {
            return Match(kind: named.kind, reason: named.name + embeddedNote(b))
        }
        // Only 2000::/3 is global unicast; everything else is reserved.
        if b[0] & 0xe0 != 0x20 {
            return Match(kind: .reserved, reason: "not global unicast (outside 2000::/3)" + embeddedNote(b))
        }
        return nil
    }

    /// " (embeds 10.0.0.1, private)" for the deprecated forms that carry an IPv4 address.
    static func embeddedNote(_ b: [UInt8]) -> String {
        var inner: IPAddress?
        if b[0..<15].allSatisfy({ $0 == 0 }) {
            return ""  // :: and ::1 carry nothing
        } else if b[0..<12].allSatisfy({ $0 == 0 }) {
            inner = IPAddress(bytes: Array(b[12..<16]))  // ::a.b.c.d, IPv4-compatible
        } else if b[0..<8].allSatisfy({ $0 == 0 }), b[8] == 0xff, b[9] == 0xff, b[10] == 0, b[11] == 0 {
            inner = IPAddress(bytes: Array(b[12..<16]))  // ::ffff:0:a.b.c.d, IPv4-translated
        } else if b[0] == 0x20, b[1] == 0x02 {
            inner = IPAddress(bytes: Array(b[2..<6]))  // 6to4
        } else if b[0] == 0x20, b[1] == 0x01, b[2] == 0, b[3] == 0 {
            inner = IPAddress(bytes: b[12..<16].map { ~$0 })  // Teredo client, obfuscated
        }
        guard let inner else { return "" }
        let what = classify(inner)?.reason ?? "public"
        return " (embeds \(inner), \(what))"
    }
}
