import CSodium

/// One-time libsodium set-up, random bytes and wiping: what every other crypto entry point needs first.
///
/// NexusCrypto is the one target that imports CSodium, so the vault (sealing credentials) and the
/// modules (pinning approved code) use the same vetted library through one door.
public enum Sodium {
    private static let initResult: Int32 = sodium_init()

    /// True when libsodium is usable (sodium_init returns 0, or 1 when already initialized).
    @discardableResult
    public static func ensureInitialized() -> Bool { initResult >= 0 }

    /// `count` bytes from libsodium's CSPRNG.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        ensureInitialized()
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { b in if let p = b.baseAddress { randombytes_buf(p, b.count) } }
        return out
    }

    /// Fills `count` bytes at `pointer` from the CSPRNG (for guarded memory).
    public static func randomFill(_ pointer: UnsafeMutableRawPointer, _ count: Int) {
        ensureInitialized()
        randombytes_buf(pointer, count)
    }

    /// Lowercase hex of `bytes`.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Wipes an ordinary array's storage in place (best effort for values that had to pass through one).
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { if let b = $0.baseAddress { sodium_memzero(b, $0.count) } }
    }

    /// The libsodium linked in, for `nexus doctor`.
    public static var version: String { "libsodium " + String(cString: sodium_version_string()) }
}
