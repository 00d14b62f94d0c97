import CSodium

/// libsodium's `crypto_secretbox` (XSalsa20-Poly1305): authenticated encryption under a 32-byte key.
public enum SecretBox {
    public static let keyBytes = Int(crypto_secretbox_KEYBYTES)
    public static let nonceBytes = Int(crypto_secretbox_NONCEBYTES)
    public static let macBytes = Int(crypto_secretbox_MACBYTES)

    /// Writes `macBytes + plain.count` bytes of ciphertext at `out`.
    public static func seal(
        into out: UnsafeMutablePointer<UInt8>, plain: [UInt8], nonce: UnsafePointer<UInt8>, key: SecureBuffer
    ) {
        Sodium.ensureInitialized()
        key.withBytes { k, _ in _ = crypto_secretbox_easy(out, plain, UInt64(plain.count), nonce, k) }
    }

    /// Opens `cipherCount` bytes at `cipher` into `out` (`cipherCount - macBytes` bytes); false when the
    /// ciphertext was altered or the key is wrong.
    public static func open(
        into out: UnsafeMutablePointer<UInt8>?, cipher: UnsafePointer<UInt8>, cipherCount: Int,
        nonce: UnsafePointer<UInt8>, key: SecureBuffer
    ) -> Bool {
        Sodium.ensureInitialized()
        return key.withBytes { k, _ in crypto_secretbox_open_easy(out, cipher, UInt64(cipherCount), nonce, k) == 0 }
    }
}
