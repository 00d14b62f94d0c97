import NexusCrypto

/// The 32-byte key that seals every credential, held only in guarded memory.
///
/// It comes from one of three places (see `KeySource`): `MODULE_ENCRYPTION_KEY`, the key file, or a
/// passphrase stretched with Argon2id. Whatever the source, the bytes are decoded straight into a
/// `SecureBuffer`; the key's `id` (a keyed BLAKE2b digest of a fixed label) names it in `vault_meta`
/// without revealing anything about it.
public final class MasterKey: Sendable {
    public static let byteCount = 32  // crypto_secretbox_KEYBYTES
    let buffer: SecureBuffer

    init(buffer: SecureBuffer) {
        self.buffer = buffer
    }

    /// A fresh random key.
    public static func generate() -> MasterKey? {
        SecureBuffer(count: byteCount) { p, n in
            Sodium.randomFill(p, n)
            return true
        }.map(MasterKey.init)
    }

    /// Decodes a key written as 64 hex digits or as base64 (standard or URL-safe, padding optional),
    /// ignoring surrounding whitespace. Anything that is not exactly 32 bytes is refused; the error
    /// names `origin` (an environment variable or a file) and the length seen, never the content.
    public static func parse(_ text: UnsafeRawBufferPointer, origin: String) throws(VaultError) -> MasterKey {
        Sodium.ensureInitialized()
        var start = 0
        var end = text.count
        while start < end, isSpace(text[start]) { start += 1 }
        while end > start, isSpace(text[end - 1]) { end -= 1 }
        let length = end - start
        guard length > 0, let base = text.baseAddress else {
            throw VaultError.badKeyEncoding(origin: origin, length: 0)
        }
        guard let key = KeyText.decode(UnsafeRawBufferPointer(start: base + start, count: length), count: byteCount)
        else { throw VaultError.badKeyEncoding(origin: origin, length: length) }
        return MasterKey(buffer: key)
    }

    public static func parse(_ text: String, origin: String) throws(VaultError) -> MasterKey {
        var text = text
        let result = text.withUTF8 { u in
            Result { () throws(VaultError) in try parse(UnsafeRawBufferPointer(u), origin: origin) }
        }
        return try result.get()
    }

    /// Argon2id (crypto_pwhash) of `passphrase` with `salt`; MODERATE limits unless told otherwise.
    public static func derive(
        passphrase: UnsafeRawBufferPointer, salt: [UInt8], limits: KDFLimits = .moderate
    ) throws(VaultError) -> MasterKey {
        Sodium.ensureInitialized()
        guard salt.count == KeyDerivation.saltBytes else {
            throw VaultError.corruptMeta("kdf_salt is \(salt.count) bytes, expected \(KeyDerivation.saltBytes)")
        }
        guard passphrase.count > 0 else { throw VaultError.emptyPassphrase }
        let key = KeyDerivation.argon2id(
            passphrase: passphrase, salt: salt, ops: limits.ops, memory: limits.memory, count: byteCount)
        guard let key else { throw VaultError.kdfFailed }
        return MasterKey(buffer: key)
    }

    /// 16 hex-encoded bytes of BLAKE2b keyed with this key over a fixed label: names the key, reveals nothing.
    public var id: String {
        Sodium.hex(KeyDerivation.keyedHash(Array("nexus vault key id v1".utf8), key: buffer, outputCount: 16))
    }

    /// The key as 64 lowercase hex digits and a newline, in guarded memory (the key file's content).
    func keyFileText() -> SecureBuffer? {
        SecureBuffer(count: Self.byteCount * 2 + 1) { out, n in
            buffer.withBytes { k, kn in
                let digits: [UInt8] = Array("0123456789abcdef".utf8)
                for i in 0..<kn {
                    out[2 * i] = digits[Int(k[i] >> 4)]
                    out[2 * i + 1] = digits[Int(k[i] & 0xF)]
                }
                out[n - 1] = 0x0A
                return true
            }
        }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
}

/// Argon2id work limits, stored beside the salt so a vault always re-derives with the limits it was sealed with.
public struct KDFLimits: Sendable, Equatable {
    public var ops: UInt64
    public var memory: UInt64

    public init(ops: UInt64, memory: UInt64) {
        self.ops = ops
        self.memory = memory
    }

    /// libsodium's MODERATE limits (3 passes, 256 MiB): the default for new passphrases.
    public static var moderate: KDFLimits {
        KDFLimits(ops: KeyDerivation.moderateLimits.ops, memory: KeyDerivation.moderateLimits.memory)
    }

    /// The smallest limits libsodium accepts; for tests only.
    public static var minimum: KDFLimits {
        KDFLimits(ops: KeyDerivation.minimumLimits.ops, memory: KeyDerivation.minimumLimits.memory)
    }
}
