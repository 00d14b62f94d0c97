import NexusCore
import NexusStore
import Synchronization

/// The vault: credentials sealed with libsodium's secretbox, one row per (module, name), in the
/// shared database.
///
/// It exists so that a secret is in clear only in guarded key memory, in the process that asked for
/// it, and in the redactor that scrubs it from everything leaving nexus. Every store, retrieve,
/// delete and rotate leaves an `audit` row and an `.audit` event naming who and which name, never
/// the value. Opening verifies the key against the sealed key check before anything is read or
/// written, so a wrong key changes nothing.
public final class CredentialStore: Sendable {
    /// Largest value accepted: Linux refuses a single environment string over 128 KiB, and a credential
    /// reaches its module as one.
    public static let maximumValueBytes = 65_536

    public let database: Database
    let bus: EventBus?
    let keys: VaultKeys
    let state: Mutex<State>

    struct State {
        var key: MasterKey
        /// Where `key` came from, for messages ("MODULE_ENCRYPTION_KEY", a file path, "passphrase").
        var keySource: String
        /// Built on first use, then kept current by every change.
        var redactor: Redactor? {
            didSet { if let r = redactor { for h in handles { h.replace(with: r) } } }
        }
        /// Handles that receive each new snapshot (see `attach`).
        var handles: [RedactorHandle] = []
    }

    init(database: Database, bus: EventBus?, keys: VaultKeys, key: MasterKey, keySource: String) {
        self.database = database
        self.bus = bus
        self.keys = keys
        self.state = Mutex(State(key: key, keySource: keySource, redactor: nil, handles: []))
    }

    /// Where the key in use came from.
    public var keySource: String { state.withLock { $0.keySource } }
    public var keyID: String { state.withLock { $0.key.id } }

    /// Stores `value` for (module, name), replacing any earlier value. Returns true when it was new.
    @discardableResult
    public func set(module: String, name: String, value: [UInt8], actor: VaultActor) throws(VaultError) -> Bool {
        try Self.validate(module: module, name: name)
        guard !value.isEmpty else { throw .emptyValue(module: module, name: name) }
        guard value.count <= Self.maximumValueBytes else {
            throw .valueTooLarge(module: module, name: name, bytes: value.count, limit: Self.maximumValueBytes)
        }
        if let problem = ReservedEnvironment.problem(name) {
            throw .reservedEnvironmentName(module: module, env: name, reason: problem)
        }
        // Given to the module's approved files as they are now (NULL: not installed yet, bound at first use).
        let bound = try approval(of: module)?.current
        let key = state.withLock { $0.key }
        let sealed = value.withUnsafeBytes { SealedBox.seal($0, module: module, name: name, key: key) }
        let now = WallClock.now()
        let created: Bool
        do {
            created = try database.transaction { tx in
                // Sealing with a key the vault no longer uses would leave a row no key opens.
                guard try VaultMeta.read(tx).keyID == key.id else { throw VaultError.keyRotatedElsewhere }
                let existing = try tx.query(
                    "SELECT 1 FROM vault_credentials WHERE module = ? AND name = ?", [.text(module), .text(name)])
                try tx.execute(
                    """
                    INSERT INTO vault_credentials (module, name, sealed, created_at, updated_at, bound_sha256)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(module, name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at,
                    bound_sha256 = excluded.bound_sha256
                    """, [.text(module), .text(name), .blob(sealed), .double(now), .double(now), .optionalText(bound)])
                let isNew = existing.isEmpty
                try VaultAudit.insert(
                    tx, actor: actor, action: "store", target: "\(module)/\(name)",
                    detail: isNew ? "created" : "updated")
                return isNew
            }
        } catch {
            throw Self.wrap(error)
        }
        VaultAudit.publish(bus, actor: actor, action: "store", target: "\(module)/\(name)")
        state.withLock { s in
            if let r = s.redactor { s.redactor = r.replacing(label: "\(module)/\(name)", with: value) }
        }
        return created
    }

    /// Convenience for UTF-8 values.
    @discardableResult
    public func set(module: String, name: String, value: String, actor: VaultActor) throws(VaultError) -> Bool {
        try set(module: module, name: name, value: Array(value.utf8), actor: actor)
    }

    /// The value of (module, name). The caller should wipe it (overwrite the array) once used.
    public func get(module: String, name: String, actor: VaultActor) throws(VaultError) -> [UInt8] {
        try Self.validate(module: module, name: name)
        let rows: [Row]
        do {
            rows = try database.query(
                "SELECT sealed FROM vault_credentials WHERE module = ? AND name = ?", [.text(module), .text(name)])
        } catch { throw VaultError.wrap(error) }
        guard let sealed = rows.first?.blob(0) else { throw .notFound(module: module, name: name) }
        let value = try open(sealed, module: module, name: name, actor: actor)
        audit(actor: actor, action: "retrieve", target: "\(module)/\(name)", detail: nil)
        return value
    }

    /// Names and dates of stored credentials (all, or one module's), sorted by module then name.
    public func list(module: String? = nil) throws(VaultError) -> [CredentialInfo] {
        let rows: [Row]
        do {
            if let module {
                rows = try database.query(
                    "SELECT module, name, created_at, updated_at FROM vault_credentials WHERE module = ? ORDER BY name",
                    [.text(module)])
            } else {
                rows = try database.query(
                    "SELECT module, name, created_at, updated_at FROM vault_credentials ORDER BY module, name")
            }
        } catch { throw VaultError.wrap(error) }
        return rows.map {
            CredentialInfo(
                module: $0.text(0) ?? "", name: $0.text(1) ?? "", createdAt: $0.double(2) ?? 0,
                updatedAt: $0.double(3) ?? 0)
        }
    }

    /// Removes (module, name); `notFound` when there is no such credential.
    public func delete(module: String, name: String, actor: VaultActor) throws(VaultError) {
        try Self.validate(module: module, name: name)
        let removed: Bool
        do {
            removed = try database.transaction { tx in
                let found = try tx.query(
                    "SELECT 1 FROM vault_credentials WHERE module = ? AND name = ?", [.text(module), .text(name)])
                guard !found.isEmpty else { return false }
                try tx.execute(
                    "DELETE FROM vault_credentials WHERE module = ? AND name = ?", [.text(module), .text(name)])
                try VaultAudit.insert(tx, actor: actor, action: "delete", target: "\(module)/\(name)", detail: nil)
                return true
            }
        } catch { throw Self.wrap(error) }
        guard removed else { throw .notFound(module: module, name: name) }
        VaultAudit.publish(bus, actor: actor, action: "delete", target: "\(module)/\(name)")
        state.withLock { s in
            if let r = s.redactor { s.redactor = r.removing(label: "\(module)/\(name)") }
        }
    }

    /// The redactor for every stored value: built on first use, then swapped on each change.
    public var redactor: Redactor {
        if let r = state.withLock({ $0.redactor }) { return r }
        let r = Redactor(secrets: allSecretsForRedaction())
        state.withLock { s in if s.redactor == nil { s.redactor = r } }
        return state.withLock { $0.redactor } ?? r
    }

    /// Keeps `handle` current: it gets this vault's redactor now and a new snapshot after every change.
    public func attach(_ handle: RedactorHandle) {
        let r = redactor
        state.withLock { s in
            s.handles.append(handle)
            handle.replace(with: s.redactor ?? r)
        }
    }

    /// Rebuilds the redactor from the database (after another process changed the vault) and returns it.
    @discardableResult
    public func reloadRedactor() -> Redactor {
        let r = Redactor(secrets: allSecretsForRedaction())
        state.withLock { $0.redactor = r }
        return r
    }

    /// Every value that opens, labelled `module/name` (rows that fail to open are skipped and audited).
    func allSecretsForRedaction() -> [(label: String, value: [UInt8])] {
        // Redaction input only; the vault's own reads report an unreadable table.
        guard let rows = try? database.query("SELECT module, name, sealed FROM vault_credentials") else { return [] }
        let key = state.withLock { $0.key }
        var out: [(label: String, value: [UInt8])] = []
        for row in rows {
            guard let m = row.text(0), let n = row.text(1), let sealed = row.blob(2) else { continue }
            if case .success(let v) = SealedBox.open(sealed, module: m, name: n, key: key) {
                out.append((label: "\(m)/\(n)", value: v))
            }
        }
        return out
    }

    /// Opens one sealed row, turning each failure into a `tampered` error (and an audit row).
    func open(_ sealed: [UInt8], module: String, name: String, actor: VaultActor) throws(VaultError) -> [UInt8] {
        switch unseal(sealed, module: module, name: name) {
        case .success(let v): return v
        case .failure(let e):
            // Only decides which error to throw; the tamper error below is thrown either way.
            if let now = try? VaultMeta.read(database), now.keyID != state.withLock({ $0.key.id }) {
                throw .keyRotatedElsewhere
            }
            if case .tampered(_, _, let reason) = e {
                audit(actor: actor, action: "tamper_detected", target: "\(module)/\(name)", detail: reason)
            }
            throw e
        }
    }

    /// Opens one sealed row without auditing (safe inside a transaction).
    func unseal(_ sealed: [UInt8], module: String, name: String, key: MasterKey? = nil) -> Result<[UInt8], VaultError> {
        let key = key ?? state.withLock { $0.key }
        switch SealedBox.open(sealed, module: module, name: name, key: key) {
        case .success(let v): return .success(v)
        case .failure(let f):
            let reason: String
            switch f {
            case .truncated(let n): reason = "the sealed value is truncated (\(n) bytes)"
            case .unknownFormat(let v): reason = "unknown sealed format \(v)"
            case .authentication: reason = "authentication failed (the sealed value was altered)"
            case .boundElsewhere(let m, let n): reason = "the sealed value belongs to \(m)/\(n) (row moved or edited)"
            }
            return .failure(.tampered(module: module, name: name, reason: reason))
        }
    }

    func audit(actor: VaultActor, action: String, target: String, detail: String?) {
        do {
            try database.transaction { tx in
                try VaultAudit.insert(tx, actor: actor, action: action, target: target, detail: detail)
            }
        } catch {
            bus?.publish(
                turn: 0, .notice("vault audit: \(action) \(target) not recorded: \(error.userFacingDescription)"))
        }
        VaultAudit.publish(bus, actor: actor, action: action, target: target)
    }

    /// Module and credential names: 1–64 of letters, digits, '.', '_', '-', not starting with '.'.
    public static func validate(module: String, name: String) throws(VaultError) {
        for (field, value) in [("module name", module), ("credential name", name)] {
            let u = Array(value.utf8)
            let ok =
                !u.isEmpty && u.count <= 64 && u[0] != UInt8(ascii: ".")
                && u.allSatisfy { b in
                    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E
                        || b == 0x5F || b == 0x2D
                }
            if !ok { throw .invalidName(field: field, value: String(value.prefix(80))) }
        }
    }

    static func wrap(_ error: any Error) -> VaultError {
        if let v = error as? VaultError { return v }
        if let s = error as? StoreError { return .wrap(s) }
        return .store(String(describing: error))
    }
}
