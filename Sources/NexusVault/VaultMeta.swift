import NexusCrypto
import NexusStore

/// The vault's own facts, kept in `vault_meta`: format version, which key sealed the rows (its id and
/// a sealed check value), and for passphrase mode the Argon2id salt and limits.
///
/// Rotation rewrites these in the same transaction as the rows, so the marker always names the key
/// that opens every row.
struct VaultMeta: Equatable {
    static let supportedFormat = 1
    static let checkPlaintext = Array("nexus vault key check v1".utf8)

    enum Mode: String { case key, passphrase }

    var format: Int?
    var keyID: String?
    var keyCheck: [UInt8]?
    var mode: Mode = .key
    var salt: [UInt8]?
    var limits: KDFLimits?

    var isInitialized: Bool { keyID != nil }

    static func read(_ db: Database) throws(VaultError) -> VaultMeta {
        do { return try parse(db.query("SELECT key, value FROM vault_meta")) } catch { throw .wrap(error) }
    }

    /// Whether any meta row exists: the vault was sealed once (a damaged marker counts; opening says what is wrong).
    static func isSealed(_ db: Database) throws(VaultError) -> Bool {
        do { return try (db.query("SELECT COUNT(*) FROM vault_meta").first?.int(0) ?? 0) > 0 } catch {
            throw .wrap(error)
        }
    }

    static func read(_ tx: TransactionContext) throws(StoreError) -> VaultMeta {
        parse(try tx.query("SELECT key, value FROM vault_meta"))
    }

    private static func parse(_ rows: [Row]) -> VaultMeta {
        var m = VaultMeta()
        var ops: UInt64?
        var mem: UInt64?
        for r in rows {
            guard let k = r.text(0) else { continue }
            switch k {
            case "format": m.format = r.text(1).flatMap { Int($0) } ?? -1
            case "key_id": m.keyID = r.text(1)
            case "key_check": m.keyCheck = r.blob(1)
            case "mode": m.mode = r.text(1).flatMap(Mode.init(rawValue:)) ?? .key
            case "kdf_salt": m.salt = r.blob(1)
            case "kdf_ops": ops = r.text(1).flatMap { UInt64($0) }
            case "kdf_mem": mem = r.text(1).flatMap { UInt64($0) }
            default: break
            }
        }
        if let ops, let mem { m.limits = KDFLimits(ops: ops, memory: mem) }
        return m
    }

    /// Replaces every meta row with this key's marker and check (and the passphrase parameters, if any).
    static func write(
        _ tx: TransactionContext, key: MasterKey, mode: Mode, salt: [UInt8]?, limits: KDFLimits?
    ) throws(StoreError) {
        let check = checkPlaintext.withUnsafeBytes { SealedBox.seal($0, module: "vault", name: "key-check", key: key) }
        try tx.execute("DELETE FROM vault_meta")
        var rows: [(String, SQLValue)] = [
            ("format", .text(String(supportedFormat))), ("key_id", .text(key.id)), ("key_check", .blob(check)),
            ("mode", .text(mode.rawValue)),
        ]
        if mode == .passphrase, let salt, let limits {
            rows += [
                ("kdf_salt", .blob(salt)), ("kdf_ops", .text(String(limits.ops))),
                ("kdf_mem", .text(String(limits.memory))),
            ]
        }
        for (k, v) in rows { try tx.execute("INSERT INTO vault_meta (key, value) VALUES (?, ?)", [.text(k), v]) }
    }

    /// Whether `key` is the one this metadata names, proven by opening the sealed check value.
    func matches(_ key: MasterKey) -> Bool {
        guard let keyID, let keyCheck, key.id == keyID else { return false }
        guard case .success(var plain) = SealedBox.open(keyCheck, module: "vault", name: "key-check", key: key) else {
            return false
        }
        defer { Sodium.wipe(&plain) }
        return plain == Self.checkPlaintext
    }
}
