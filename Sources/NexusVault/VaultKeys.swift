import NexusCrypto

/// Where the master key may come from, in DESIGN's order: `MODULE_ENCRYPTION_KEY`, else (when the
/// vault is in passphrase mode) a passphrase, else the key file in the config directory.
///
/// It exists so the composition root says *where* keys may come from once, and the store decides
/// *which* applies from what the database records (its key id, its mode) — a key file is only ever
/// created for a vault that has never been sealed.
public struct VaultKeys: Sendable {
    public static let environmentVariable = "MODULE_ENCRYPTION_KEY"

    /// The key from the environment, if the variable is set and non-empty (still encoded).
    public var environmentKey: String?
    public var keyFile: KeyFile
    /// Asked only when the vault is in passphrase mode and no environment key is set; nil means "no one to ask".
    public var passphrase: (@Sendable () throws -> SecureBuffer?)?
    /// A key given directly (tests, benchmarks); overrides every other source.
    public var explicitKey: MasterKey?

    public init(
        environment: [String: String], configDir: String, passphrase: (@Sendable () throws -> SecureBuffer?)? = nil
    ) {
        let env = environment[Self.environmentVariable]
        self.environmentKey = (env?.isEmpty ?? true) ? nil : env
        self.keyFile = KeyFile(configDir: configDir)
        self.passphrase = passphrase
        self.explicitKey = nil
    }

    /// Only `key`, labelled "the given key" in errors.
    public static func explicit(_ key: MasterKey) -> VaultKeys {
        var k = VaultKeys(environment: [:], configDir: "/nonexistent")
        k.explicitKey = key
        return k
    }

    /// Moves passphrase bytes into guarded memory and wipes the array they came in.
    public static func passphraseBuffer(wiping bytes: inout [UInt8]) -> SecureBuffer? {
        defer { Sodium.wipe(&bytes) }
        return passphraseBuffer(bytes)
    }

    /// Passphrase bytes in guarded memory (from a prompt or a pipe), for `passphrase` closures and `unlock`.
    public static func passphraseBuffer(_ bytes: [UInt8]) -> SecureBuffer? {
        SecureBuffer(count: max(bytes.count, 1)) { p, n in
            for i in 0..<min(n, bytes.count) { p[i] = bytes[i] }
            return !bytes.isEmpty
        }
    }
}

/// Who touched the vault, as written in the audit trail: a module's process or a person's command.
public enum VaultActor: Sendable, Equatable, CustomStringConvertible {
    case module(String)
    case user(command: String)
    case system(String)

    public var description: String {
        switch self {
        case .module(let m): "module:\(m)"
        case .user(let c): "user:\(c)"
        case .system(let s): "nexus:\(s)"
        }
    }
}

/// One stored credential as `list` shows it: names and dates, never the value.
public struct CredentialInfo: Sendable, Equatable {
    public var module: String
    public var name: String
    /// Seconds since the Unix epoch.
    public var createdAt: Double
    public var updatedAt: Double
}
