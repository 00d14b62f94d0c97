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
    public init?(count: Int, fill: (UnsafeMutablePointer<UInt8>, Int) throws -> Bool) rethrows {
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
