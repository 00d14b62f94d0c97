import NexusCore

/// Which hosts a spec may put into a generated module's `network.allow` on its own word. A spec is
/// hostile input: its `servers` (or Swagger `host`) and OAuth2 token URLs become allow entries, so a spec
/// naming 169.254.169.254, a private address or a cloud metadata name would hand the module a way to
/// the machine's neighbourhood. Public hosts and loopback (the farm, a local service) pass; anything else
/// is refused unless the user named that host with `--base-url`.
enum OpenAPIServerPolicy {
    /// Host names that are not public whatever they resolve to: cloud metadata services and the
    /// special-use suffixes of private networks.
    static let metadataNames: Set<String> = [
        "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal",
        "metadata.azure.com", "metadata.tencentyun.com", "metadata.platformequinix.com",
    ]
    static let privateSuffixes = [".internal", ".local", ".localdomain", ".home.arpa", ".lan", ".intranet", ".corp"]

    /// Why `url`'s host may not be reached on the spec's word ("link-local", "private", ...), or nil when
    /// it is public or loopback.
    static func refusal(_ url: String) -> String? {
        guard let authority = OpenAPIModulePlan.hostPort(url) else { return nil }
        let host = bareHost(authority).lowercased()
        if host == "localhost" || host.hasSuffix(".localhost") { return nil }
        if let ip = IPAddress(parsing: host) {
            guard let reason = ip.nonPublicReason, !ip.isLoopback else { return nil }
            return reason
        }
        if host.contains(":") || host.contains("%") { return "not a valid address" }
        if metadataNames.contains(host) { return "a cloud metadata service" }
        let last = host.split(separator: ".").last.map(String.init) ?? host
        // No top-level domain starts with a digit: 2852039166, 0xa9fea9fe or 0251.0376.0251.0376 are the
        // integer, hex and octal forms of 169.254.169.254 that inet_aton (and so Python) would connect to.
        if last.first?.isNumber ?? true { return "an IP address in a non-standard form" }
        if !host.contains(".") { return "a single-label name (a machine on the local network)" }
        if let suffix = privateSuffixes.first(where: { host.hasSuffix($0) }) {
            return "a private-network name (\(suffix))"
        }
        return nil
    }

    /// `host` of `host:port`, `[v6]:port` or `[v6]`.
    static func bareHost(_ authority: String) -> String {
        if authority.hasPrefix("[") {
            let inner = authority.dropFirst().prefix { $0 != "]" }
            return String(inner)
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "")
    }

    /// Checks the spec's base URL (when no `--base-url` replaced it) and every OAuth2 token URL whose host
    /// the user did not name with `--base-url`.
    static func check(spec: String, base: String, fromSpec: Bool, tokenURLs: [String]) throws(OpenAPIError) {
        if fromSpec, let reason = refusal(base) {
            throw .nonPublicServer(path: spec, url: base, reason: reason)
        }
        let named = fromSpec ? nil : OpenAPIModulePlan.hostPort(base).map { bareHost($0).lowercased() }
        for url in tokenURLs {
            guard let authority = OpenAPIModulePlan.hostPort(url), bareHost(authority).lowercased() != named else {
                continue
            }
            if let reason = refusal(url) { throw .nonPublicServer(path: spec, url: url, reason: reason) }
        }
    }
}
