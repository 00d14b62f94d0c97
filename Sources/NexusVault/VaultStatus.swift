import NexusStore

/// What `nexus doctor` says about the vault, found without side effects: no key is minted, no passphrase
/// asked. It exists because a vault whose key went missing fails only when a module needs a credential,
/// long after the cause.
public enum VaultStatus: Sendable, Equatable {
    /// Nothing stored yet; a key is made on first use.
    case empty
    /// Sealed with a passphrase that only a person can give (`nexus creds unlock` checks it).
    case locked(credentials: Int)
    /// The key this process would use opens it.
    case open(credentials: Int, keySource: String)
    /// The key is missing or wrong, or the vault is damaged.
    case failed(VaultError)

    /// Checks the vault in `database` with the keys this process has (environment and key file only).
    public static func check(database: Database, keys: VaultKeys) -> VaultStatus {
        var keys = keys
        keys.passphrase = nil
        do {
            let meta = try VaultMeta.read(database)
            guard meta.isInitialized else { return .empty }
            let count: Int
            do { count = try database.query("SELECT COUNT(*) FROM vault_credentials").first?.int(0) ?? 0 } catch {
                throw VaultError.wrap(error)
            }
            if meta.mode == .passphrase && keys.environmentKey == nil && keys.explicitKey == nil {
                return .locked(credentials: count)
            }
            // Read-only: the key is compared with the vault's key check, never through `CredentialStore.open`,
            // which may take the rotation lock and finish an interrupted rotation by renaming key files.
            if let explicit = keys.explicitKey {
                guard meta.matches(explicit) else { throw VaultError.wrongKey(source: "the given key") }
                return .open(credentials: count, keySource: "the given key")
            }
            if let env = keys.environmentKey {
                let key = try MasterKey.parse(env, origin: VaultKeys.environmentVariable)
                guard meta.matches(key) else { throw VaultError.wrongKey(source: VaultKeys.environmentVariable) }
                return .open(credentials: count, keySource: VaultKeys.environmentVariable)
            }
            let file = keys.keyFile
            if let key = try file.load(), meta.matches(key) { return .open(credentials: count, keySource: file.path) }
            if let next = try file.loadNext(), meta.matches(next) {
                // A rotation stopped between commit and rename: the next command that opens the vault ends it.
                return .open(credentials: count, keySource: file.nextPath)
            }
            if try file.load() == nil { throw VaultError.keyFileMissing(path: file.path) }
            throw VaultError.wrongKey(source: file.path)
        } catch let e as VaultError {
            return .failed(e)
        } catch {
            return .failed(.store("\(error)"))
        }
    }
}
