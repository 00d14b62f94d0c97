/// The credential store as the rest of nexus uses it: secrets go in, a module's process gets exactly the
/// ones its manifest declares, and a scrubber that knows every stored value keeps them out of anything a
/// model, a log or a terminal sees.
///
/// It is a seam so the session can be run on a vault other than the sealed one: `CredentialStore`
/// (libsodium, SQLite, audited) is the real implementation, `InMemoryVault` (NexusTesting) the
/// deterministic one for in-process tests. Both keep the contract: every store, read and removal is
/// audited (an `.audit` event naming actor and `module/name`, never the value); a declared credential
/// that is missing is an error naming the module and the credential, never a partial environment; and
/// from the moment a value is stored, `scrubber` redacts it.
public protocol CredentialVault: Sendable {
    /// Stores `value` for (`module`, `name`), replacing any earlier one; `actor` is who asked
    /// (`user:creds set`, `module:NAME`, `nexus:...`). Returns true when it was new.
    @discardableResult
    func store(module: String, name: String, value: String, actor: String) throws -> Bool

    /// The environment for `module`'s process: each wanted credential under its variable name.
    func environment(for module: String, wants: [(name: String, env: String)]) throws -> [String: String]

    /// `module/name` of every stored credential (or one module's), sorted; never values.
    func storedNames(module: String?) throws -> [String]

    /// Removes (`module`, `name`); an error when there is no such credential.
    func remove(module: String, name: String, actor: String) throws

    /// Redacts every value stored now, in every form the vault knows (raw, base64, hex, URL- and JSON-escaped).
    var scrubber: any SecretScrubber { get }
}
