#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address with the classification the egress proxy needs: names that resolve to
/// loopback, private, link-local (cloud metadata) or otherwise non-public addresses are refused.
public struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    /// 4 or 16 bytes, network order.
    public var bytes: [UInt8]

    public init?(parsing text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
            return
        }
        return nil
    }

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var isV4: Bool { bytes.count == 4 }

    /// The IPv4 address inside an IPv4-mapped IPv6 address.
    var embeddedV4: IPAddress? {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else {
            return nil
        }
        return IPAddress(bytes: Array(bytes[12..<16]))
    }

    /// Why this address is not public ("loopback", "private", "link-local", ...), or nil when it is.
    public var nonPublicReason: String? {
        if let v4 = embeddedV4 { return v4.nonPublicReason }
        if isV4 {
            let a = bytes[0]
            let b = bytes[1]
            if a == 127 { return "loopback" }
            if a == 10 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168) { return "private" }
            if a == 169 && b == 254 { return "link-local" }
            if a == 0 { return "unspecified" }
            if a == 100 && (64...127).contains(b) { return "shared (CGNAT)" }
            if a >= 224 { return "multicast or reserved" }
            return nil
        }
        if bytes.allSatisfy({ $0 == 0 }) { return "unspecified" }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return "loopback" }
        if bytes[0] & 0xfe == 0xfc { return "private" }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return "link-local" }
        if bytes[0] == 0xff { return "multicast" }
        return nil
    }

    public var description: String {
        var buf = [CChar](repeating: 0, count: 64)
        let family = isV4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buf, 64) != nil }
        return ok ? String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    }
}
