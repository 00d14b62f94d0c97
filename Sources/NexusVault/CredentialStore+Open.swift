import NexusCore
import NexusCrypto
import NexusStore

extension CredentialStore {
    /// Opens the vault in `database` with the first applicable key source (see `VaultKeys`).
    ///
    /// A vault never sealed before is initialised with that key (minting `vault.key` with O_EXCL when
    /// no other source applies). A sealed vault must be opened by the key its `vault_meta` names,
    /// proven by opening the sealed key check; otherwise `wrongKey`, and nothing is written. When the
    /// key file holds the old key but `vault.key.next` the one named (a rotation interrupted after its
    /// commit), the rotation is finished here by renaming the next key into place.
    public static func open(database: Database, keys: VaultKeys, bus: EventBus? = nil) throws(VaultError)
        -> CredentialStore
    {
        guard Sodium.ensureInitialized() else { throw .store("libsodium failed to initialise") }
        let meta = try VaultMeta.read(database)
        if let f = meta.format, f != VaultMeta.supportedFormat {
            throw f > VaultMeta.supportedFormat
                ? .newerFormat(found: f, supported: VaultMeta.supportedFormat)
                : .corruptMeta("format \"\(f)\" is not a known vault format")
        }
        if meta.isInitialized && meta.keyCheck == nil {
            throw .corruptMeta("vault_meta names key \(meta.keyID ?? "") but its key_check row is missing")
        }
        if !meta.isInitialized {
            // Checked before any key is minted, so damaged metadata never leaves a stray key file behind.
            let count: Int
            do { count = try database.query("SELECT COUNT(*) FROM vault_credentials").first?.int(0) ?? 0 } catch {
                throw .wrap(error)
            }
            if count > 0 { throw .corruptMeta("vault_meta names no key, but \(count) credentials are stored") }
        }
        let (key, source) = try chooseKey(meta: meta, keys: keys)
        if meta.isInitialized {
            guard meta.matches(key) else { throw .wrongKey(source: source) }
        } else {
            try initialize(database, key: key, source: source)
        }
        return CredentialStore(database: database, bus: bus, keys: keys, key: key, keySource: source)
    }

    private static func chooseKey(meta: VaultMeta, keys: VaultKeys) throws(VaultError) -> (MasterKey, String) {
        if let k = keys.explicitKey { return (k, "the given key") }
        if let env = keys.environmentKey {
            return (try MasterKey.parse(env, origin: VaultKeys.environmentVariable), VaultKeys.environmentVariable)
        }
        if meta.isInitialized && meta.mode == .passphrase {
            guard let salt = meta.salt, let limits = meta.limits else {
                throw .corruptMeta("passphrase mode without salt")
            }
            guard let ask = keys.passphrase else { throw .locked }
            let pw: SecureBuffer?
            do { pw = try ask() } catch { throw .store("cannot read the passphrase: \(error)") }
            guard let pw else { throw .locked }
            let key = try pw.withBytes { p, n throws(VaultError) in
                try MasterKey.derive(passphrase: UnsafeRawBufferPointer(start: p, count: n), salt: salt, limits: limits)
            }
            return (key, "the passphrase")
        }
        return (try keyFromFile(keys.keyFile, meta: meta), keys.keyFile.path)
    }

    /// The key-file key for this vault, finishing an interrupted rotation or minting a first key.
    private static func keyFromFile(_ file: KeyFile, meta: VaultMeta) throws(VaultError) -> MasterKey {
        if !meta.isInitialized {
            if let k = try file.load() { return k }
            guard let k = MasterKey.generate() else { throw .outOfSecureMemory }
            do {
                try file.create(k)
                return k
            } catch {
                // Another process minted it first: use theirs.
                if let theirs = try file.load() { return theirs }
                throw error
            }
        }
        let current = try file.load()
        if let current, meta.matches(current) { return current }
        let lock = try RotationLock.acquire(for: file)
        defer { lock.release() }
        // Under the lock: a rotation that committed but did not rename leaves the named key in .next.
        if let next = try file.loadNext(), meta.matches(next) {
            try file.promoteNext()
            return next
        }
        if let again = try file.load(), meta.matches(again) { return again }
        if current == nil { throw .keyFileMissing(path: file.path) }
        throw .wrongKey(source: file.path)
    }

    /// Writes the first key marker and check, unless another process sealed the vault meanwhile.
    private static func initialize(_ db: Database, key: MasterKey, source: String) throws(VaultError) {
        do {
            try db.transaction { tx in
                let now = try VaultMeta.read(tx)
                if now.isInitialized {
                    guard now.matches(key) else { throw VaultError.wrongKey(source: source) }
                    return
                }
                let count = try tx.query("SELECT COUNT(*) FROM vault_credentials").first?.int(0) ?? 0
                guard count == 0 else {
                    throw VaultError.corruptMeta("vault_meta names no key, but \(count) credentials are stored")
                }
                try VaultMeta.write(tx, key: key, mode: .key, salt: nil, limits: nil)
            }
        } catch { throw wrap(error) }
    }
}
