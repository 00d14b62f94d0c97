import CSodium

/// SHA-256 (FIPS 180-4) from libsodium (`crypto_hash_sha256`), streaming.
///
/// It pins every approved module: the digest of a module folder is computed file by file with
/// `update`, so a large file is hashed in chunks and never held whole. A vetted implementation
/// replaces the hand-written one that guarded approvals before.
public struct SHA256: Sendable {
    private var state = crypto_hash_sha256_state()
    /// Digest length in bytes (32).
    public static let byteCount = Int(crypto_hash_sha256_BYTES)

    public init() {
        Sodium.ensureInitialized()
        _ = crypto_hash_sha256_init(&state)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        _ = crypto_hash_sha256_update(&state, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ text: String) { update(Array(text.utf8)) }

    /// The 32-byte digest. The hasher is consumed.
    public mutating func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.byteCount)
        _ = crypto_hash_sha256_final(&state, &out)
        return out
    }

    /// The hex digest of `bytes` in one call.
    public static func hex(_ bytes: [UInt8]) -> String {
        var h = SHA256()
        h.update(bytes)
        return hexString(h.finalize())
    }

    public static func hexString(_ digest: [UInt8]) -> String { Sodium.hex(digest) }
}
