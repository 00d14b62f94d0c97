import CSodium

/// Decodes key text (hex or base64) straight into guarded memory with libsodium's constant-time codecs.
public enum KeyText {
    /// Exactly `count` bytes from `text` written as `2 * count` hex digits or as base64 (standard or
    /// URL-safe, padding optional); nil for anything else. The text must already be trimmed.
    public static func decode(_ text: UnsafeRawBufferPointer, count: Int) -> SecureBuffer? {
        Sodium.ensureInitialized()
        let length = text.count
        guard length > 0, let base = text.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
        let inputEnd = UnsafePointer(base + length)
        var decoded = false
        // One spare byte of room so an over-long input fails instead of being truncated.
        let scratch = SecureBuffer(count: count + 1) { tmp, room in
            var written = 0
            var stop: UnsafePointer<CChar>?
            if length == count * 2 {
                decoded =
                    sodium_hex2bin(tmp, room, base, length, nil, &written, &stop) == 0
                    && written == count && stop == inputEnd
            }
            let variants: [Int32] = [
                sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING,
            ]
            for v in variants where !decoded {
                written = 0
                stop = nil
                decoded =
                    sodium_base642bin(tmp, room, base, length, nil, &written, &stop, v) == 0
                    && written == count && stop == inputEnd
            }
            return true
        }
        guard decoded, let scratch else { return nil }
        return SecureBuffer(count: count) { p, n in
            scratch.withBytes { s, _ in p.update(from: s, count: n) }
            return true
        }
    }
}
