import NexusCore
import NexusStore

/// Opening the vault for a chat session, which must never mint a key: a session only opens a vault that was
/// sealed before (by `nexus creds set` or an install); a fresh home stays without one until it is needed.
extension CredentialStore {
    /// The vault in `database` opened as `open` does, or nil when nothing was ever sealed there.
    public static func openIfSealed(database: Database, keys: VaultKeys, bus: EventBus? = nil) throws(VaultError)
        -> CredentialStore?
    {
        guard try VaultMeta.isSealed(database) else { return nil }
        return try open(database: database, keys: keys, bus: bus)
    }
}
