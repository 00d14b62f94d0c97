import NexusCore

/// The three ways untrusted code runs (the seed's sandbox modes): what it may reach and how long.
///
/// exec: no network, nothing writable but a private /tmp. validate: outbound only through the egress
/// proxy, the workspace writable. integration: like validate, with the module's credentials in its
/// environment and every request logged (and optionally recorded as fixtures).
public enum SandboxMode: String, Sendable, CaseIterable, Equatable {
    case exec
    case validate
    case integration

    /// Parses a mode name; a misspelt one is a usage error naming the choices.
    public static func parse(_ text: String) throws(SandboxError) -> SandboxMode {
        guard let mode = SandboxMode(rawValue: text) else {
            throw .badArgument(
                "--mode", "unknown sandbox mode \"\(text)\"", hint: "use one of: exec, validate, integration")
        }
        return mode
    }

    /// Whether the command reaches the network (through the proxy only).
    public var usesProxy: Bool { self != .exec }
    /// Whether the workspace is mounted read-write.
    public var workspaceWritable: Bool { self != .exec }

    /// The limits nexus.toml gives this mode (defaults: exec 30 s / 256 MB, others 60 s / 512 MB).
    public func limits(from config: SandboxConfig) -> SandboxConfig.Limits {
        switch self {
        case .exec: config.exec
        case .validate: config.validate
        case .integration: config.integration
        }
    }
}
