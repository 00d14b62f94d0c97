#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address with the classification the egress proxy needs: names that resolve to
/// loopback, private, link-local (cloud metadata) or otherwise non-public addresses are refused.
/// Parsing is strict and pure: only the dotted quad `a.b.c.d` (no octal, hex, short or single-number
/// forms that `inet_aton` and `getaddrinfo` accept) and IPv6 without a zone id, so the text the policy
/// checked is the address connected to.
public struct IPAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// 4 or 16 bytes, network order.
    public var bytes: [UInt8]

    public init?(parsing text: String) {
        if let v4 = Self.parseV4(text) {
            bytes = v4
            return
        }
        if let v6 = Self.parseV6(text) {
            bytes = v6
            return
        }
        return nil
    }

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var isV4: Bool { bytes.count == 4 }

    /// Four decimal parts 0-255, no leading zeros (`0177` is octal to `inet_aton`), nothing else.
    static func parseV4(_ text: String) -> [UInt8]? {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard (1...3).contains(p.count), p.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            if p.count > 1 && p.first == 48 { return nil }
            let v = p.reduce(0) { $0 * 10 + Int($1 - 48) }
            guard v <= 255 else { return nil }
            out.append(UInt8(v))
        }
        return out
    }

    /// IPv6 text of hex digits, colons and an optional trailing dotted quad. The character check comes
    /// first, so `inet_pton` never sees a NUL, a `%zone` or anything it might read differently.
    static func parseV6(_ text: String) -> [UInt8]? {
        let u = text.utf8
        guard u.count >= 2, u.count <= 45, u.contains(UInt8(ascii: ":")) else { return nil }
        for c in u {
            let hex = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
            guard hex || c == UInt8(ascii: ":") || c == UInt8(ascii: ".") else { return nil }
        }
        if u.contains(UInt8(ascii: ".")) {
            // The embedded IPv4 part must itself be a strict dotted quad.
            guard let lastColon = text.lastIndex(of: ":"),
                parseV4(String(text[text.index(after: lastColon)...])) != nil
            else { return nil }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        return withUnsafeBytes(of: v6) { Array($0) }
    }

    public var isLoopback: Bool { SpecialAddresses.classify(self)?.kind == .loopback }

    /// Why this address is not public ("loopback", "private", "link-local", ...), or nil when it is.
    public var nonPublicReason: String? { SpecialAddresses.classify(self)?.reason }

    /// The address as `inet_ntop` writes it (IPv6 compressed, lower-case).
    public var description: String {
        var buf = [CChar](repeating: 0, count: 64)
        let family = isV4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buf, 64) != nil }
        return ok ? String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    }

    /// `a.b.c.d` or `[v6]`, as it goes in an authority.
    public var authority: String { isV4 ? description : "[\(description)]" }
}
