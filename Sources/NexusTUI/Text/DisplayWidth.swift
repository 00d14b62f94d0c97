/// How many terminal columns a character takes: 0, 1 or 2.
///
/// Curses and the terminal place wide characters (CJK, emoji) in two cells and combining marks in
/// none; every wrap, truncation and layout decision must count the same way or columns drift. The
/// table follows Unicode East Asian Width (W/F) and emoji presentation, as glibc's `wcwidth` does,
/// but needs no locale, so the pure code and its tests behave the same everywhere.
public enum DisplayWidth {
    /// Columns taken by `c` as NEXUS draws it. Control characters count 0 (they are replaced before
    /// drawing); a cluster that `splits` counts the sum of the pieces drawn.
    @inline(__always)
    public static func of(_ c: Character) -> Int {
        if let a = c.asciiValue { return (a >= 0x20 && a != 0x7F) ? 1 : 0 }
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        let w = of(scalar: first.value)
        if scalars.count > 1, splits(c) {
            var n = 0
            for s in scalars where !isDisputed(s.value) { n += of(scalar: s.value) }
            return n
        }
        if w == 0, scalars.count > 1 {
            // A lone combining mark followed by more: measure what follows.
            var best = 0
            for s in scalars.dropFirst() { best = max(best, of(scalar: s.value)) }
            return best
        }
        return w
    }

    /// Scalars terminals disagree about: the zero-width joiner, variation selectors 15 and 16, and skin-tone
    /// modifiers. Whether 👨‍👩‍👧 takes 2 columns or 6 depends on the terminal (some join it into one
    /// glyph; tmux and xterm draw each emoji), and a count that differs from the terminal's leaves stale
    /// cells and cuts lines. So NEXUS never sends them: it draws the pieces, each at the width every
    /// terminal agrees on (👨👩👧, 👍, ☺).
    @inline(__always)
    public static func isDisputed(_ v: UInt32) -> Bool {
        v == 0x200D || v == 0xFE0E || v == 0xFE0F || (0x1F3FB...0x1F3FF).contains(v)
    }

    /// Whether the cluster `c` is drawn as separate pieces: it holds a disputed scalar, or regional
    /// indicators (a flag: two one-column letters to a terminal that does not join them, one two-column
    /// flag to one that does — the same two columns either way when sent one per cell).
    public static func splits(_ c: Character) -> Bool {
        c.unicodeScalars.count > 1
            && c.unicodeScalars.contains { isDisputed($0.value) || (0x1F1E6...0x1F1FF).contains($0.value) }
    }

    /// Widths of the Basic Multilingual Plane, computed once: most text never leaves it.
    static let bmp: [UInt8] = (0..<0x10000).map { UInt8(compute(UInt32($0))) }

    /// Columns taken by one scalar.
    @inline(__always)
    public static func of(scalar v: UInt32) -> Int {
        if v < 0x80 { return v >= 0x20 && v != 0x7F ? 1 : 0 }
        if v < 0x10000 { return Int(bmp[Int(v)]) }
        return compute(v)
    }

    static func compute(_ v: UInt32) -> Int {
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        if isZeroWidth(v) { return 0 }
        if v < 0x1100 { return 1 }
        return isWide(v) ? 2 : 1
    }

    /// Columns taken by a whole string.
    public static func of(_ s: some StringProtocol) -> Int {
        var n = 0
        for c in s { n += of(c) }
        return n
    }

    /// Columns taken by a slice of characters.
    public static func of(_ cs: ArraySlice<Character>) -> Int {
        var n = 0
        for c in cs { n += of(c) }
        return n
    }

    /// The longest prefix of `s` that fits in `columns`, with `…` marking a cut when `ellipsis` is set.
    public static func truncate(_ s: String, to columns: Int, ellipsis: Bool = true) -> String {
        guard columns > 0 else { return "" }
        if of(s) <= columns { return s }
        let budget = ellipsis ? columns - 1 : columns
        var out = ""
        var used = 0
        for c in s {
            let w = of(c)
            if used + w > budget { break }
            out.append(c)
            used += w
        }
        if ellipsis { out.append("…") }
        return out
    }

    /// `s` padded with spaces (or truncated) to exactly `columns`.
    public static func pad(_ s: String, to columns: Int, alignRight: Bool = false) -> String {
        let t = truncate(s, to: columns)
        let gap = max(0, columns - of(t))
        let spaces = String(repeating: " ", count: gap)
        return alignRight ? spaces + t : t + spaces
    }

    static func isZeroWidth(_ v: UInt32) -> Bool {
        switch v {
        case 0x300...0x36F, 0x483...0x489, 0x591...0x5BD, 0x610...0x61A, 0x64B...0x65F, 0x670, 0x6D6...0x6DC,
            0x6DF...0x6E4, 0x6E7...0x6E8, 0x6EA...0x6ED, 0x900...0x902, 0x93A, 0x93C, 0x941...0x948, 0x94D,
            0x951...0x957, 0x962...0x963, 0xE31, 0xE34...0xE3A, 0xE47...0xE4E, 0x1160...0x11FF,
            0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064,
            0x20D0...0x20FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F, 0xFEFF, 0x1F3FB...0x1F3FF, 0xE0000...0xE0FFF:
            return true
        default:
            return false
        }
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
            0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
            0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD,
            0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0,
            0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
            0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
            0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
            0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A,
            0x1F200...0x1F251, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393,
            0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440,
            0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A,
            0x1F595...0x1F596, 0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC, 0x1F6D0...0x1F6D2,
            0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB,
            0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAFF,
            0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
