/// The one answer to "does this URL point at this machine?", used wherever locality decides something:
/// `privacy = "local-only"` (which providers may see a prompt), pricing, key defaults and the status line.
///
/// It exists once because three copies with different rules drifted apart, and one of them counted
/// `127.example.com` as local. The host is parsed strictly and anything unusual is remote (fail closed):
/// loopback is `localhost` (or `localhost.`), a dotted-quad in 127.0.0.0/8 written plainly (four decimal
/// octets, no leading zeros, which some resolvers read as octal) and `[::1]`. Userinfo (`user@host`),
/// zone ids, percent-escapes, shorthand (`127.1`), hex or integer forms and names under `.localhost` are
/// all treated as remote.
public enum Endpoint {
    /// True only when `url` (`http(s)://host[:port][/path]`) names a loopback host by the rules above.
    public static func isLoopback(url: String) -> Bool {
        guard let host = host(of: url) else { return false }
        return isLoopback(host: host)
    }

    /// True for `localhost`, `localhost.`, `::1` and a plain dotted-quad in 127.0.0.0/8.
    public static func isLoopback(host raw: String) -> Bool {
        let host = raw.lowercased()
        if host == "localhost" || host == "localhost." || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy(isPlainOctet)
    }

    /// The host of an http(s) URL as written (brackets removed from an IPv6 literal), or nil when the
    /// URL does not parse strictly: no scheme, userinfo, an empty host, or a port that is not 1-5 digits.
    public static func host(of url: String) -> String? {
        guard let sep = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<sep.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = url[sep.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@"), !authority.contains("%") else { return nil }
        let host: Substring
        let afterHost: Substring
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            afterHost = authority[authority.index(after: close)...]
        } else {
            let colon = authority.firstIndex(of: ":") ?? authority.endIndex
            host = authority[..<colon]
            afterHost = authority[colon...]
        }
        guard !host.isEmpty, host.allSatisfy(isHostCharacter) else { return nil }
        if !afterHost.isEmpty {
            let port = afterHost.dropFirst()
            guard afterHost.first == ":", (1...5).contains(port.count), port.allSatisfy(\.isASCIIDigit) else {
                return nil
            }
        }
        return String(host)
    }

    private static func isPlainOctet(_ o: Substring) -> Bool {
        guard (1...3).contains(o.count), o.allSatisfy(\.isASCIIDigit) else { return false }
        if o.count > 1 && o.first == "0" { return false }
        return Int(o).map { $0 <= 255 } ?? false
    }

    private static func isHostCharacter(_ c: Character) -> Bool {
        c.isASCIIDigit || c.isASCIILetter || c == "." || c == "-" || c == ":"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && ("0"..."9").contains(self) }
    fileprivate var isASCIILetter: Bool { isASCII && (("a"..."z").contains(self) || ("A"..."Z").contains(self)) }
}
