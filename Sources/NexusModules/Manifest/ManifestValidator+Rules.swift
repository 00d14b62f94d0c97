import NexusCore

/// The character-level rules for names, versions, hosts and paths, shared with the installer.
extension ManifestValidator {
    /// Module and category names: lowercase letters, digits, `-` and `_`, starting with a letter or digit,
    /// at most 48 characters, and never `__` (it separates module from tool in namespaced tool names).
    static func identifierProblem(_ s: String) -> String? {
        let u = Array(s.utf8)
        if u.count > 48 { return "is longer than 48 characters" }
        guard let first = u.first, isLowerAlnum(first) else { return "must start with a lowercase letter or digit" }
        for c in u where !(isLowerAlnum(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")) {
            return "may contain only lowercase letters, digits, '-' and '_'"
        }
        if s.contains("__") { return "must not contain \"__\" (it separates module and tool names)" }
        return nil
    }

    static func isLowerAlnum(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    static func isVersion(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let f = u.first, f >= UInt8(ascii: "0"), f <= UInt8(ascii: "9"), u.count <= 64 else { return false }
        return u.allSatisfy { c in
            isLowerAlnum(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
        }
    }

    static func isSHA256(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return u.count == 64
            && u.allSatisfy {
                ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f"))
            }
    }

    static func isEnvName(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let f = u.first, !(f >= UInt8(ascii: "0") && f <= UInt8(ascii: "9")), u.count <= 128 else { return false }
        return u.allSatisfy {
            ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                || $0 == UInt8(ascii: "_")
        }
    }

    /// A `network.allow` entry: not a URL, no path, and then exactly what the jailer's egress rule accepts
    /// (`HostRule.parse`), so a manifest never installs an entry the proxy refuses at launch (`localhost`
    /// without a port, `2130706433`, `0.0.0.0`...) nor refuses one it accepts (`[::1]:8080`).
    static func hostProblem(_ s: String) -> String? {
        if s.contains("://") { return "is a URL, expected a host name" }
        if s.isEmpty { return "is empty, expected a host name" }
        if s.contains("/") { return "contains a path, expected a host name" }
        if let why = everyHostProblem(s) { return why }
        do { _ = try HostRule.parse(s) } catch { return "\(error.why) (\(error.hint ?? ""))" }
        return nil
    }

    /// An entry meant as "any host" (`*`, `*:443`, `*.*`): a module is never given the whole
    /// network, and the parser's "only a leading *. wildcard" does not say what is allowed instead.
    static func everyHostProblem(_ s: String) -> String? {
        var host = s.trimmingSpaces
        if !host.hasPrefix("["), let c = host.lastIndex(of: ":") { host = String(host[..<c]) }
        guard host.contains("*"), host.allSatisfy({ $0 == "*" || $0 == "." }) else { return nil }
        return "would let the module reach any host, which no module may; list each host its code calls "
            + "(\"api.example.com\", \"api.example.com:8443\"), or one domain's subdomains (\"*.example.com\"); "
            + "nexus modules validate FOLDER lists the hosts its code calls"
    }

    /// A path inside the module folder: relative, no `..` that climbs out, no NUL.
    static func relativePathProblem(_ p: String) -> String? {
        if p.isEmpty { return "empty path" }
        if p.hasPrefix("/") { return "\(JSONValueQuote.q(p)) is absolute, expected a path inside the module folder" }
        if p.utf8.contains(0) { return "contains a NUL byte" }
        var depth = 0
        for comp in p.split(separator: "/", omittingEmptySubsequences: true) {
            if comp == ".." { depth -= 1 } else if comp != "." { depth += 1 }
            if depth < 0 { return "\(JSONValueQuote.q(p)) escapes the module folder" }
        }
        if depth == 0 { return "\(JSONValueQuote.q(p)) names the folder itself, expected a file" }
        return nil
    }
}

/// JSON-style quoting for values inside error messages.
enum JSONValueQuote {
    static func q(_ s: String) -> String { JSONValue.string(s).serialized }
}
