import NexusCore

/// The sealed vault behind the `CredentialVault` seam: the same calls `nexus creds` and the session make,
/// with actors given as text (`user:creds set`, `module:NAME`, `nexus:...`) mapped to `VaultActor`.
extension CredentialStore: CredentialVault {
    @discardableResult
    public func store(module: String, name: String, value: String, actor: String) throws -> Bool {
        try set(module: module, name: name, value: value, actor: VaultActor(text: actor))
    }

    public func storedNames(module: String?) throws -> [String] {
        try list(module: module).map { "\($0.module)/\($0.name)" }
    }

    public func remove(module: String, name: String, actor: String) throws {
        try delete(module: module, name: name, actor: VaultActor(text: actor))
    }

    public var scrubber: any SecretScrubber { redactor }
}

extension VaultActor {
    /// `module:NAME`, `user:COMMAND`, or anything else as a system actor (`nexus:` is dropped once).
    init(text: String) {
        if text.hasPrefix("module:") {
            self = .module(String(text.dropFirst("module:".count)))
        } else if text.hasPrefix("user:") {
            self = .user(command: String(text.dropFirst("user:".count)))
        } else {
            self = .system(text.hasPrefix("nexus:") ? String(text.dropFirst("nexus:".count)) : text)
        }
    }
}
