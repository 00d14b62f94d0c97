/// The spellings of one secret that might leave nexus: the raw bytes and the encodings a tool, an
/// HTTP client or a model is likely to put them in.
///
/// Two sets. `forms` are matched byte for byte: raw; base64 (standard and URL-safe, padded and not) and
/// the base64 cores of the secret embedded at byte offsets 0, 1 and 2 of a larger blob (as in
/// `Basic base64(user:secret)`); the base64 of the secret followed by more bytes (`echo secret | base64`);
/// and the JSON string escape. `foldedForms` are the spellings whose escapes may come in either case, or
/// in both at once (`4a6B`, `%2f%2B`, `\u00E9\u002f`): hex, percent-encoding (and `+` for space), the
/// JSON `\uXXXX` escapes (every character; every character but letters and digits; only non-ASCII, as
/// Python's `json.dumps` writes it) and a secret made only of hex digits. They are given lower-cased and
/// matched with ASCII case folded (`PatternIndex` `foldCase`), so every mix of cases is caught with one
/// pattern each.
/// Forms shorter than `minimumLength` bytes are dropped: matching them would shred ordinary text.
enum RedactionForms {
    static let minimumLength = 4

    static func forms(of secret: [UInt8]) -> [[UInt8]] {
        guard secret.count >= minimumLength else { return [] }
        var out: [[UInt8]] = [secret]
        for alphabet in [base64Standard, base64URL] {
            let unpadded = base64(secret, alphabet: alphabet)
            out.append(unpadded)
            out.append(padded(unpadded))
            if secret.count >= 6 {
                for k in 0...2 { out.append(base64Core(secret, offset: k, alphabet: alphabet)) }
            }
        }
        out.append(jsonEscaped(secret, escapeSlash: false))
        out.append(jsonEscaped(secret, escapeSlash: true))
        return distinct(out)
    }

    /// The case-insensitive spellings, lower-cased (see the type's comment).
    static func foldedForms(of secret: [UInt8]) -> [[UInt8]] {
        guard secret.count >= minimumLength else { return [] }
        var out: [[UInt8]] = [hex(secret, digits: hexLower)]
        if secret.allSatisfy({ hexLower.contains(lowercased($0)) }) { out.append(secret) }
        out.append(percentEncoded(secret, digits: hexLower, plusForSpace: false))
        out.append(percentEncoded(secret, digits: hexLower, plusForSpace: true))
        if let units = utf16(secret) {
            out.append(unicodeEscaped(units, keep: { _ in false }))
            out.append(unicodeEscaped(units, keep: { isASCIIAlphanumeric($0) }))
            for slash in [false, true] {
                out.append(unicodeEscaped(units, keep: { $0 < 0x80 }, jsonEscapeKept: true, escapeSlash: slash))
            }
        }
        return distinct(out.map { $0.map(lowercased) })
    }

    private static func distinct(_ forms: [[UInt8]]) -> [[UInt8]] {
        var seen = Set<[UInt8]>()
        return forms.filter { $0.count >= minimumLength && seen.insert($0).inserted }
    }

    @inline(__always) static func lowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    static func isASCIIAlphanumeric(_ u: UInt16) -> Bool {
        (u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5A) || (u >= 0x61 && u <= 0x7A)
    }

    /// The secret as UTF-16 code units (what `\uXXXX` escapes), or nil when it is not valid UTF-8.
    static func utf16(_ bytes: [UInt8]) -> [UInt16]? {
        var units: [UInt16] = []
        var decoder = UTF8()
        var it = bytes.makeIterator()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let v): units += Array(String(Character(v)).utf16)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        return units
    }

    /// Each code unit as `\uxxxx`, except those `keep` accepts, which are written as they are (or as
    /// a JSON string writes them, with `jsonEscapeKept`).
    static func unicodeEscaped(
        _ units: [UInt16], keep: (UInt16) -> Bool, jsonEscapeKept: Bool = false, escapeSlash: Bool = false
    ) -> [UInt8] {
        var out: [UInt8] = []
        for u in units {
            if keep(u) && u < 0x80 {
                let b = UInt8(u)
                out += jsonEscapeKept ? jsonEscaped([b], escapeSlash: escapeSlash) : [b]
            } else {
                out += Array("\\u".utf8)
                for shift in stride(from: 12, through: 0, by: -4) {
                    out.append(hexLower[Int(u >> UInt16(shift) & 0xF)])
                }
            }
        }
        return out
    }

    static let base64Standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let base64URL = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let hexLower = Array("0123456789abcdef".utf8)
    static let hexUpper = Array("0123456789ABCDEF".utf8)

    /// Base64 without padding.
    static func base64(_ bytes: [UInt8], alphabet: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            for shift in stride(from: 18, through: 0, by: -6) { out.append(alphabet[Int(v >> UInt32(shift) & 63)]) }
            i += 3
        }
        let rem = bytes.count - i
        if rem == 1 {
            let v = UInt32(bytes[i]) << 16
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
        } else if rem == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
        }
        return out
    }

    static func padded(_ unpadded: [UInt8]) -> [UInt8] {
        var p = unpadded
        while p.count % 4 != 0 { p.append(UInt8(ascii: "=")) }
        return p
    }

    /// The base64 characters determined by `secret` alone when it sits `offset` bytes into a
    /// 3-byte group of a larger blob: the leading characters mixed with the bytes before it are
    /// dropped, and so is a trailing one mixed with the bytes after it.
    static func base64Core(_ secret: [UInt8], offset: Int, alphabet: [UInt8]) -> [UInt8] {
        let shifted = [UInt8](repeating: 0, count: offset) + secret
        let encoded = base64(shifted, alphabet: alphabet)
        let skip = [0, 2, 3][offset]
        let full = shifted.count / 3 * 4
        let rem = shifted.count % 3
        let end = min(encoded.count, full + (rem == 0 ? 0 : rem == 1 ? 1 : 2))
        guard end > skip else { return [] }
        return Array(encoded[skip..<end])
    }

    static func hex(_ bytes: [UInt8], digits: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return out
    }

    /// RFC 3986 percent-encoding: unreserved bytes kept, everything else escaped.
    static func percentEncoded(_ bytes: [UInt8], digits: [UInt8], plusForSpace: Bool) -> [UInt8] {
        var out: [UInt8] = []
        for b in bytes {
            let unreserved =
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                || b == 0x2E
                || b == 0x5F || b == 0x7E
            if unreserved {
                out.append(b)
            } else if plusForSpace && b == 0x20 {
                out.append(UInt8(ascii: "+"))
            } else {
                out += [UInt8(ascii: "%"), digits[Int(b >> 4)], digits[Int(b & 0xF)]]
            }
        }
        return out
    }

    /// The bytes as they appear inside a JSON string literal.
    static func jsonEscaped(_ bytes: [UInt8], escapeSlash: Bool) -> [UInt8] {
        var out: [UInt8] = []
        for b in bytes {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x2F where escapeSlash: out += [0x5C, 0x2F]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x00..<0x20: out += Array("\\u00".utf8) + [hexLower[Int(b >> 4)], hexLower[Int(b & 0xF)]]
            default: out.append(b)
            }
        }
        return out
    }
}
