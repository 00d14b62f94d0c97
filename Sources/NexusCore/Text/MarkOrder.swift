/// Puts long runs of combining marks in text from outside in canonical order, so that Swift's `String` compares and
/// hashes that text in time linear in its length.
///
/// A `String`'s `==`, `<` and `hash(into:)`, and every `Character` comparison (`split(separator:)`,
/// `contains(_:)`, `switch` over text), first put each run of combining marks in canonical order, by insertion: time
/// quadratic in a run written out of order (one letter and 20,000 marks of two classes, alternating: 0.3 s for one
/// `name == "ping"`; 200,000: 28 s), linear in a run already in order. `ExactText` keeps object keys off that path,
/// but any comparison of a module's or a model's text with a word is on it too. So the readers of outside text (JSON,
/// TOML) put every run of more than 30 marks that is out of order in order as they read it. 30 is Unicode's
/// stream-safe bound (UAX #15): no real text needs more marks on one letter. The order is a stable sort by combining
/// class, which is how Unicode defines canonical order, so the text stays canonically the same (`String`'s `==` calls
/// it equal to what was written, its glyphs are the same): only its bytes change. Shorter runs, and all everyday text,
/// keep their bytes, so keys that differ in the order of a few marks stay two keys (`ExactText`).
public enum MarkOrder {
    /// The longest run of combining marks kept in the order it was written (UAX #15's stream-safe bound).
    public static let longestRunAsWritten = 30

    /// `text` with every run of more than `longestRunAsWritten` combining marks that is out of canonical order put in
    /// that order; `text` itself (same bytes) when there is none, which is found without allocating.
    public static func ordered(_ text: String) -> String {
        // Every scalar with a combining class is U+0300 or above: its UTF-8 lead byte is 0xCC or more.
        guard text.utf8.contains(where: { $0 >= 0xCC }), hasLongRunOutOfOrder(text.unicodeScalars) else { return text }
        var scalars = Array(text.unicodeScalars)
        var start = 0
        while start < scalars.count {
            guard markClass(scalars[start]) != 0 else {
                start += 1
                continue
            }
            var end = start
            while end < scalars.count, markClass(scalars[end]) != 0 { end += 1 }
            if end - start > longestRunAsWritten {
                // Stable: by class, then by place (marks of one class keep their order, as Unicode's ordering does).
                let run = scalars[start..<end].enumerated().map { place, mark in
                    (mark: mark, key: Int(markClass(mark)) << 32 | place)
                }
                for (k, item) in run.sorted(by: { $0.key < $1.key }).enumerated() { scalars[start + k] = item.mark }
            }
            start = end
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    /// A scalar's canonical combining class, without a table lookup in the ranges where no scalar has one (checked
    /// against the table for every scalar by `MarkOrderSpecs`): Latin, Greek, Cyrillic, Armenian, punctuation and
    /// symbols, CJK, kana past the voicing marks, Hangul, emoji. A megabyte of Cyrillic JSON took 8.7 ms to parse with
    /// a lookup per scalar, against 1 ms for ASCII (`swiftc -O`).
    public static func markClass(_ scalar: Unicode.Scalar) -> UInt8 {
        switch scalar.value {
        case 0...0x2FF, 0x370...0x482, 0x488...0x590, 0x1E00...0x20CF, 0x20F1...0x2CEE, 0x2E00...0x3029,
            0x309B...0xA66E, 0xABEE...0xFB1D, 0x1E94B...:
            return 0
        default:
            return scalar.properties.canonicalCombiningClass.rawValue
        }
    }

    /// Whether a run of more than `longestRunAsWritten` marks has a mark of a lower class after one of a higher.
    static func hasLongRunOutOfOrder(_ scalars: String.UnicodeScalarView) -> Bool {
        var length = 0
        var previous: UInt8 = 0
        var outOfOrder = false
        for scalar in scalars {
            let cls = markClass(scalar)
            if cls == 0 {
                if outOfOrder && length > longestRunAsWritten { return true }
                length = 0
                outOfOrder = false
            } else {
                if length > 0 && cls < previous { outOfOrder = true }
                length += 1
            }
            previous = cls
        }
        return outOfOrder && length > longestRunAsWritten
    }
}
