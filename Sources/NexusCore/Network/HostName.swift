/// Strict validation of the hosts a sandboxed client names (CONNECT authority, absolute URL, Host
/// header) before anything matches or resolves them. A host is either RFC 1123 labels or an IP
/// literal, nothing else: no NUL, `%00`, control characters, spaces, non-ASCII (IDN goes as punycode
/// `xn--`), `userinfo@`, zone ids, empty labels or the numeric IPv4 forms (`127.1`, `0x7f.1`,
/// `2130706433`, `0177.0.0.1`) that `getaddrinfo` would read as an address. Without this, the text the
/// allowlist matched and the C string the resolver read could differ (`8.8.8.8\0.example.com`).
public enum HostName {
    /// A host that passed validation: a lower-case name without trailing dot, or an address.
    public struct Valid: Sendable, Equatable {
        /// The name, or the address in `inet_ntop` form: what rules are matched against.
        public var text: String
        public var address: IPAddress?

        /// How it goes in an authority (`[v6]` bracketed).
        public var authority: String { address?.authority ?? text }
    }

    /// Why a host was refused; `reason` is one readable line (the host shown escaped).
    public struct Problem: Error, Sendable, Equatable {
        public var reason: String
    }

    /// Validates a bare host (`[v6]` brackets allowed): one trailing dot and upper case are accepted and
    /// normalised (`EXAMPLE.com.` is `example.com`).
    public static func validate(_ raw: String) throws(Problem) -> Valid {
        let shown = printable(raw)
        func no(_ why: String) -> Problem { Problem(reason: "host \"\(shown)\" \(why)") }
        let u = Array(raw.utf8)
        if u.isEmpty { throw no("is empty") }
        if let bad = u.first(where: { $0 <= 0x20 || $0 >= 0x7f }) {
            throw no(
                bad >= 0x80
                    ? "is not ASCII (write an international name as punycode xn--)"
                    : "contains a control character or space")
        }
        if u.contains(UInt8(ascii: "@")) { throw no("contains userinfo@, which is not allowed") }
        if u.contains(UInt8(ascii: "%")) {
            throw no("contains %, which is not allowed (percent-encoding or a zone id)")
        }
        if u.first == UInt8(ascii: "[") {
            guard u.last == UInt8(ascii: "]"), let ip = IPAddress.parseV6(String(raw.dropFirst().dropLast())) else {
                throw no("is not an IPv6 address")
            }
            return Valid(text: IPAddress(bytes: ip).description, address: IPAddress(bytes: ip))
        }
        if u.contains(UInt8(ascii: ":")) {
            guard let ip = IPAddress.parseV6(raw) else { throw no("is not a host (IPv6 addresses go in brackets)") }
            return Valid(text: IPAddress(bytes: ip).description, address: IPAddress(bytes: ip))
        }
        var name = raw.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if let v4 = IPAddress.parseV4(name) {
            return Valid(text: IPAddress(bytes: v4).description, address: .init(bytes: v4))
        }
        if let why = nameProblem(name) { throw no(why) }
        return Valid(text: name, address: nil)
    }

    /// Why `name` (lower case, no trailing dot) is not RFC 1123 labels, or nil when it is.
    public static func nameProblem(_ name: String) -> String? {
        let u = name.utf8
        if u.isEmpty { return "is empty" }
        if u.count > 253 { return "is longer than 253 characters" }
        let labels = u.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for label in labels {
            if label.isEmpty { return "has an empty label" }
            if label.count > 63 { return "has a label longer than 63 characters" }
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") {
                return "has a label that starts or ends with -"
            }
            if let c = label.first(where: { !($0 >= 97 && $0 <= 122 || $0 >= 48 && $0 <= 57 || $0 == 45) }) {
                return "contains \"\(printable(String(decoding: [c], as: UTF8.self)))\" (only a-z, 0-9, - and .)"
            }
        }
        // inet_aton reads any all-numeric last label (decimal, octal 0177, hex 0x7f) as an address.
        if let last = labels.last {
            let digits = last.allSatisfy { $0 >= 48 && $0 <= 57 }
            let hex = last.count >= 2 && last.first == 48 && Array(last)[1] == UInt8(ascii: "x")
            if digits || hex { return "is a numeric IPv4 form that is not a.b.c.d (write the address as a.b.c.d)" }
        }
        return nil
    }

    /// Parses `host:port` (or `host` when `defaultPort` is given): the port is 1-5 digits from 1 to 65535,
    /// nothing else (`+443`, `-1`, `0443x` and `99999` are refused).
    public static func authority(_ raw: String, defaultPort: Int?) throws(Problem) -> (Valid, Int) {
        var host = raw
        var portText: String?
        if raw.hasPrefix("[") {
            if let close = raw.firstIndex(of: "]") {
                host = String(raw[...close])
                let rest = raw[raw.index(after: close)...]
                if !rest.isEmpty {
                    guard rest.hasPrefix(":") else {
                        throw Problem(reason: "authority \"\(printable(raw))\" has text after ]")
                    }
                    portText = String(rest.dropFirst())
                }
            }
        } else if raw.filter({ $0 == ":" }).count > 1 {
            throw Problem(reason: "authority \"\(printable(raw))\" is not host:port (IPv6 addresses go in brackets)")
        } else if let c = raw.lastIndex(of: ":") {
            host = String(raw[..<c])
            portText = String(raw[raw.index(after: c)...])
        }
        let valid = try validate(host)
        guard let portText else {
            guard let defaultPort else {
                throw Problem(reason: "authority \"\(printable(raw))\" has no port (expected host:port)")
            }
            return (valid, defaultPort)
        }
        guard let port = strictPort(portText) else {
            throw Problem(reason: "port \"\(printable(portText))\" is not a number from 1 to 65535")
        }
        return (valid, port)
    }

    static func strictPort(_ s: String) -> Int? {
        let u = s.utf8
        guard (1...5).contains(u.count), u.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let p = u.reduce(0) { $0 * 10 + Int($1 - 48) }
        return (1...65535).contains(p) ? p : nil
    }

    /// `text` with control bytes, spaces, backslashes and non-ASCII written as `\xNN`, at most 200
    /// characters: safe for a log line or a response header.
    public static func printable(_ text: String) -> String {
        var out = ""
        for c in text.utf8.prefix(200) {
            if c < 0x21 || c >= 0x7f || c == UInt8(ascii: "\\") || c == UInt8(ascii: "\"") {
                let h = String(c, radix: 16)
                out += "\\x" + (h.count == 1 ? "0" + h : h)
            } else {
                out.unicodeScalars.append(UnicodeScalar(c))
            }
        }
        return text.utf8.count > 200 ? out + "…" : out
    }
}
