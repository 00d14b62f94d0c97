import NexusCore
import NexusStore

/// Everything the vault refuses, worded for the person who has to act: which credential, which key
/// source, which file, and the next step. No case ever carries a secret value.
public enum VaultError: UserFacingError, Equatable {
    /// A key that is not exactly 32 bytes of hex or base64 (`origin` is the variable or file).
    case badKeyEncoding(origin: String, length: Int)
    case outOfSecureMemory
    case emptyPassphrase
    case kdfFailed
    case corruptMeta(String)
    /// The key from `source` does not open the vault; nothing was changed.
    case wrongKey(source: String)
    case keyFileInsecure(path: String, mode: UInt32)
    case keyFileMissing(path: String)
    case keyFileUnreadable(path: String, reason: String)
    /// A sealed row that failed authentication or is bound to another row.
    case tampered(module: String, name: String, reason: String)
    case invalidName(field: String, value: String)
    case emptyValue(module: String, name: String)
    case valueTooLarge(module: String, name: String, bytes: Int, limit: Int)
    case notFound(module: String, name: String)
    case missingForModule(module: String, name: String, env: String)
    case notEnvironmentSafe(module: String, name: String, env: String, reason: String)
    case invalidEnvironmentName(module: String, env: String)
    case reservedEnvironmentName(module: String, env: String, reason: String)
    /// The credential was given to other code than the module's approved code now (see `CredentialStore.bind`).
    case boundToOtherCode(module: String, name: String)
    case moduleNotInstalled(module: String)
    /// Passphrase mode and no passphrase was given.
    case locked
    case newerFormat(found: Int, supported: Int)
    /// Another process rotated the key after this one opened the vault.
    case keyRotatedElsewhere
    case store(String)

    public var userMessage: String {
        switch self {
        case .badKeyEncoding(let o, let n):
            "\(o): expected a 32-byte key as 64 hex digits or 43–44 base64 characters, got \(n) characters"
        case .outOfSecureMemory: "vault: cannot allocate guarded memory for key material"
        case .emptyPassphrase: "vault: the passphrase is empty"
        case .kdfFailed: "vault: Argon2id key derivation failed (not enough memory for the stored limits?)"
        case .corruptMeta(let what): "vault: metadata is damaged: \(what)"
        case .wrongKey(let s): "vault: the vault was sealed with a different key (tried \(s)); nothing was changed"
        case .keyFileInsecure(let p, let m):
            "\(p): vault key file is readable by others (mode \(String(m, radix: 8))); refusing to use it"
        case .keyFileMissing(let p): "\(p): vault key file is missing, but the vault holds credentials sealed with it"
        case .keyFileUnreadable(let p, let r): "\(p): cannot use the vault key file: \(r)"
        case .tampered(let m, let n, let r): "vault: credential \(m)/\(n) failed to open: \(r)"
        case .invalidName(let f, let v): "vault: invalid \(f) \"\(v)\": use 1–64 letters, digits, '.', '_' or '-'"
        case .emptyValue(let m, let n): "vault: refusing an empty value for \(m)/\(n)"
        case .valueTooLarge(let m, let n, let b, let l):
            "vault: value for \(m)/\(n) is \(b) bytes; the limit is \(l) bytes (environment variables cannot carry more)"
        case .notFound(let m, let n): "vault: no credential \(m)/\(n)"
        case .missingForModule(let m, let n, let e): "module \(m): credential \"\(n)\" (for \(e)) is not in the vault"
        case .notEnvironmentSafe(let m, let n, let e, let r):
            "module \(m): credential \(n) cannot be passed as \(e): \(r)"
        case .invalidEnvironmentName(let m, let e):
            "module \(m): manifest names an invalid environment variable \"\(e)\""
        case .reservedEnvironmentName(let m, let e, let r): "module \(m): a credential may not set \(e): it \(r)"
        case .boundToOtherCode(let m, let n):
            "module \(m): credential \(n) was given to other code than the module's approved files now"
                + " (it was removed and installed again, or replaced)"
        case .moduleNotInstalled(let m): "module \(m): not installed, so it gets no credentials"
        case .locked: "vault: locked (passphrase mode) and no passphrase was given"
        case .newerFormat(let f, let s): "vault: format \(f) was written by a newer nexus (this one knows up to \(s))"
        case .keyRotatedElsewhere: "vault: the key was rotated by another nexus since this one opened the vault"
        case .store(let m): "vault: \(m)"
        }
    }

    public var hint: String? {
        switch self {
        case .badKeyEncoding: "generate one with: head -c 32 /dev/urandom | base64"
        case .wrongKey:
            "use the key the vault was sealed with (MODULE_ENCRYPTION_KEY, the key file, or the passphrase)"
        case .keyFileInsecure(let p, _): "chmod 600 \(p)"
        case .keyFileMissing: "restore the key file, or set MODULE_ENCRYPTION_KEY to the key the vault was sealed with"
        case .tampered(let m, let n, _):
            "the row was modified outside nexus; set it again with: nexus creds set \(m) \(n)"
        case .emptyValue, .valueTooLarge: "pipe the value in (printf %s VALUE | nexus creds set MODULE NAME) or type it"
        case .notFound: "see what is stored with: nexus creds list"
        case .missingForModule(let m, let n, _): "nexus creds set \(m) \(n)"
        case .reservedEnvironmentName: "name another variable in the module's manifest (or --credential)"
        case .boundToOtherCode(let m, _):
            "if you trust the module's current files, give them its credentials: nexus creds bind \(m)"
        case .moduleNotInstalled: "install it with: nexus modules install PATH"
        case .locked: "run: nexus creds unlock (or set MODULE_ENCRYPTION_KEY)"
        case .newerFormat: "upgrade nexus"
        case .keyRotatedElsewhere: "run the command again (or restart nexus) so it opens the vault with the new key"
        case .kdfFailed: "free some memory and try again"
        default: nil
        }
    }

    public var exitCode: ExitStatus {
        switch self {
        case .badKeyEncoding, .keyFileInsecure, .invalidName, .emptyValue, .valueTooLarge, .invalidEnvironmentName,
            .emptyPassphrase, .reservedEnvironmentName:
            .usage
        default: .failure
        }
    }

    static func wrap(_ e: StoreError) -> VaultError { .store(e.userMessage) }
}
