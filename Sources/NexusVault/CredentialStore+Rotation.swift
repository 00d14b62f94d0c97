import NexusCore
import NexusCrypto
import NexusStore

/// Key rotation: every row re-sealed under a new key in one SQLite transaction.
///
/// Protocol, chosen so that at every instant one of the two keys opens everything:
///
/// 1. Under an exclusive lock (`vault.key.lock`), the new key is written to `vault.key.next`
///    (O_EXCL, 0600, fsync'd with its directory). Crash here: the database still names the old key,
///    `vault.key` holds it, and the leftover `.next` is ignored, then replaced by the next rotation.
/// 2. One `BEGIN IMMEDIATE` transaction (with `synchronous=FULL`, so the commit is on disk before
///    step 3) checks that `vault_meta` still names the old key, opens every row with the old key,
///    re-seals it with the new one, rewrites `vault_meta` (new key id and sealed key check; the salt
///    and limits in passphrase mode) and adds a `rotate` audit row. Crash before COMMIT: SQLite rolls
///    it back and the old key opens everything; a row that fails to open aborts the rotation the
///    same way.
/// 3. After COMMIT, `vault.key.next` is renamed over `vault.key`. Crash between COMMIT and rename:
///    the database names the new key, `vault.key` holds the old one and `.next` the new one; `open`
///    sees that `.next` matches the marker and finishes the rename itself (under the same lock).
///
/// For a new `MODULE_ENCRYPTION_KEY` or a passphrase only step 2 applies: before COMMIT the old key
/// opens everything, after it the new one.
extension CredentialStore {
    /// What to rotate to.
    public enum NewKey: Sendable {
        /// A fresh random key, kept in the key file.
        case keyFile
        /// A key the caller holds (a new `MODULE_ENCRYPTION_KEY`), labelled for messages.
        case given(MasterKey, label: String)
        /// A key derived with Argon2id from a passphrase and a fresh random salt.
        case passphrase(SecureBuffer, limits: KDFLimits)
    }

    /// Re-seals every credential under `newKey`; returns how many rows were re-sealed.
    @discardableResult
    public func rotateKey(to newKey: NewKey, actor: VaultActor) throws(VaultError) -> Int {
        let oldKey = state.withLock { $0.key }
        let key: MasterKey
        let mode: VaultMeta.Mode
        var salt: [UInt8]? = nil
        var limits: KDFLimits? = nil
        let source: String
        switch newKey {
        case .keyFile:
            guard let k = MasterKey.generate() else { throw .outOfSecureMemory }
            (key, mode, source) = (k, .key, keys.keyFile.path)
        case .given(let k, let label):
            (key, mode, source) = (k, .key, label)
        case .passphrase(let pw, let l):
            let s = Sodium.randomBytes(16)
            key = try pw.withBytes { p, n throws(VaultError) in
                try MasterKey.derive(passphrase: UnsafeRawBufferPointer(start: p, count: n), salt: s, limits: l)
            }
            (mode, salt, limits, source) = (.passphrase, s, l, "the passphrase")
        }

        var lock: RotationLock? = nil
        if case .keyFile = newKey {
            lock = try RotationLock.acquire(for: keys.keyFile)
            try keys.keyFile.writeNext(key)
        }
        defer { lock?.release() }

        let count: Int
        do {
            try database.execute("PRAGMA synchronous=FULL")
            // Back to the default; if it fails the connection stays at FULL, which is only slower.
            defer { try? database.execute("PRAGMA synchronous=NORMAL") }
            count = try database.transaction { tx in
                let meta = try VaultMeta.read(tx)
                guard meta.matches(oldKey) else { throw VaultError.keyRotatedElsewhere }
                let rows = try tx.query("SELECT module, name, sealed FROM vault_credentials")
                for row in rows {
                    let m = row.text(0) ?? ""
                    let n = row.text(1) ?? ""
                    var value = try unseal(row.blob(2) ?? [], module: m, name: n, key: oldKey).get()
                    defer { Sodium.wipe(&value) }
                    let resealed = value.withUnsafeBytes { SealedBox.seal($0, module: m, name: n, key: key) }
                    try tx.execute(
                        "UPDATE vault_credentials SET sealed = ? WHERE module = ? AND name = ?",
                        [.blob(resealed), .text(m), .text(n)])
                }
                try VaultMeta.write(tx, key: key, mode: mode, salt: salt, limits: limits)
                try VaultAudit.insert(
                    tx, actor: actor, action: "rotate", target: "vault",
                    detail: "\(rows.count) credentials re-sealed; key \(oldKey.id) -> \(key.id) (\(mode.rawValue))")
                return rows.count
            }
        } catch {
            if case .keyFile = newKey { keys.keyFile.discardNext() }
            let e = Self.wrap(error)
            if case .tampered(let m, let n, let reason) = e {
                audit(
                    actor: actor, action: "tamper_detected", target: "\(m)/\(n)", detail: reason + "; rotation aborted")
            }
            throw e
        }
        if case .keyFile = newKey { try keys.keyFile.promoteNext() }
        state.withLock { s in
            s.key = key
            s.keySource = source
        }
        VaultAudit.publish(bus, actor: actor, action: "rotate", target: "vault")
        return count
    }

    /// Whether the vault is protected by a passphrase (as recorded in the database).
    public var isPassphraseMode: Bool {
        // An unreadable meta row reads as key mode; opening the vault then reports the real problem.
        (try? VaultMeta.read(database).mode == .passphrase) ?? false
    }

    /// Whether the vault in `database` is in passphrase mode, before opening it.
    public static func isPassphraseMode(_ database: Database) -> Bool {
        // An unreadable meta row reads as key mode; opening the vault then reports the real problem.
        (try? VaultMeta.read(database).mode == .passphrase) ?? false
    }
}
