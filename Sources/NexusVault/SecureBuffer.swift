import CSodium

/// Bytes that must not linger: key material lives here, in libsodium's guarded allocation.
///
/// `sodium_malloc` places the bytes before a guard page and `sodium_free` zeroes them before release,
/// so a key never outlives its owner in readable memory and never lands in a Swift array that the
/// allocator could hand out again uncleared. The buffer is write-once: filled during `init`, then
/// made read-only, which is why sharing it across threads is safe.
public final class SecureBuffer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    public let count: Int

    /// A zeroed buffer of `count` bytes filled by `fill`; returns nil when `fill` returns false.
    /// The bytes are zeroed and freed when `fill` fails or throws.
    init?(count: Int, fill: (UnsafeMutablePointer<UInt8>, Int) throws -> Bool) rethrows {
        Sodium.ensureInitialized()
        guard count > 0, let p = sodium_malloc(count) else { return nil }
        sodium_memzero(p, count)
        let ok: Bool
        do {
            ok = try fill(p.assumingMemoryBound(to: UInt8.self), count)
        } catch {
            sodium_free(p)
            throw error
        }
        guard ok else {
            sodium_free(p)
            return nil
        }
        pointer = p
        self.count = count
        sodium_mprotect_readonly(p)
    }

    deinit {
        sodium_mprotect_readwrite(pointer)
        sodium_free(pointer)  // zeroes before releasing
    }

    /// Read access for the duration of `body`; never copy the bytes out into ordinary memory.
    public func withBytes<T, E: Error>(_ body: (UnsafePointer<UInt8>, Int) throws(E) -> T) throws(E) -> T {
        try body(UnsafePointer(pointer.assumingMemoryBound(to: UInt8.self)), count)
    }

    /// Constant-time equality.
    public func equals(_ other: SecureBuffer) -> Bool {
        count == other.count && sodium_memcmp(pointer, other.pointer, count) == 0
    }
}

/// One-time libsodium set-up; every entry point calls `ensureInitialized` first.
enum Sodium {
    private static let initResult: Int32 = sodium_init()

    /// True when libsodium is usable (sodium_init returns 0, or 1 when already initialized).
    @discardableResult
    static func ensureInitialized() -> Bool { initResult >= 0 }

    static func randomBytes(_ count: Int) -> [UInt8] {
        ensureInitialized()
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { b in if let p = b.baseAddress { randombytes_buf(p, b.count) } }
        return out
    }

    static func hex(_ bytes: some Collection<UInt8>) -> String {
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
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { if let b = $0.baseAddress { sodium_memzero(b, $0.count) } }
    }
}
