/// The vault's tables (migrations 20–29): sealed credentials and the vault's own metadata.
///
/// `vault_credentials` holds one sealed payload per (module, name); the payload itself binds both
/// names, so a ciphertext copied to another row fails to open. `vault_meta` holds the format version,
/// the id of the key that sealed every row, a sealed key-check value, and (in passphrase mode) the
/// Argon2id salt and limits. Values never appear in clear in either table.
extension Schema {
    static let vault: [Migration] = [v20, v21]

    static let v20 = Migration(
        version: 20,
        sql: """
            CREATE TABLE vault_credentials (
                module TEXT NOT NULL,
                name TEXT NOT NULL,
                sealed BLOB NOT NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                PRIMARY KEY (module, name)
            );
            CREATE TABLE vault_meta (
                key TEXT PRIMARY KEY,
                value BLOB NOT NULL
            );
            """)

    /// The approved module code each credential was given to (sha256 of the module folder). NULL for rows
    /// stored before binding existed, or for a module not installed yet: bound at their first use.
    static let v21 = Migration(
        version: 21,
        sql: """
            ALTER TABLE vault_credentials ADD COLUMN bound_sha256 TEXT;
            """)
}
