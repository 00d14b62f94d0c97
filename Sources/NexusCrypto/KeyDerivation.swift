import CSodium

/// Argon2id (`crypto_pwhash`) for passphrases and keyed BLAKE2b (`crypto_generichash`) for naming keys.
public enum KeyDerivation {
    public static var saltBytes: Int { Int(crypto_pwhash_saltbytes()) }

    /// libsodium's MODERATE limits (3 passes, 256 MiB).
    public static var moderateLimits: (ops: UInt64, memory: UInt64) {
        (UInt64(crypto_pwhash_opslimit_moderate()), UInt64(crypto_pwhash_memlimit_moderate()))
    }

    /// The smallest limits libsodium accepts (tests only).
    public static var minimumLimits: (ops: UInt64, memory: UInt64) {
        (UInt64(crypto_pwhash_opslimit_min()), UInt64(crypto_pwhash_memlimit_min()))
    }

    /// A `count`-byte key from `passphrase` and `salt`, in guarded memory; nil when Argon2id fails
    /// (out of memory, or limits outside libsodium's range).
    public static func argon2id(
        passphrase: UnsafeRawBufferPointer, salt: [UInt8], ops: UInt64, memory: UInt64, count: Int
    ) -> SecureBuffer? {
        Sodium.ensureInitialized()
        guard let pw = passphrase.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
        return SecureBuffer(count: count) { p, n in
            crypto_pwhash(
                p, UInt64(n), pw, UInt64(passphrase.count), salt, ops, Int(memory), crypto_pwhash_alg_argon2id13()) == 0
        }
    }

    /// `outputCount` bytes of BLAKE2b over `message`, keyed with `key`.
    public static func keyedHash(_ message: [UInt8], key: SecureBuffer, outputCount: Int) -> [UInt8] {
        Sodium.ensureInitialized()
        var out = [UInt8](repeating: 0, count: outputCount)
        key.withBytes { k, n in _ = crypto_generichash(&out, out.count, message, UInt64(message.count), k, n) }
        return out
    }
}
