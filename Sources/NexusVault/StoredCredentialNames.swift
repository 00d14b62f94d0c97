import NexusStore

/// Which credentials are stored, by module and name, read without the vault's key.
///
/// `nexus doctor` names the modules still waiting for a credential. It must not mint a key, ask for a
/// passphrase or open a sealed value to say so: the names are plain columns beside the sealed values.
public enum StoredCredentialNames {
    /// Every stored (module, name), names lowercased as the vault matches them (`COLLATE NOCASE`).
    public static func read(_ database: Database) throws(VaultError) -> Set<Key> {
        do {
            let rows = try database.query("SELECT module, name FROM vault_credentials")
            return Set(rows.map { Key(module: $0.text(0) ?? "", name: ($0.text(1) ?? "").lowercased()) })
        } catch {
            throw VaultError.wrap(error)
        }
    }

    /// One stored credential's module and (lowercased) name.
    public struct Key: Hashable, Sendable {
        public let module: String
        public let name: String

        public init(module: String, name: String) {
            self.module = module
            self.name = name
        }
    }
}
