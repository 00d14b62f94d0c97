/// Breaks a line of characters into rows that fit a width, measured in terminal columns.
///
/// Prose breaks at spaces (a word longer than the row is split); code breaks anywhere. Results are
/// ranges into the caller's array, so a streaming line can be re-wrapped from its last row onward:
/// greedy wrapping makes every row start a fixed point, so resuming gives exactly the full result.
public enum WordWrapper {
    /// Rows for `chars[start...]`, at most `width` columns each. An empty input gives one empty row.
    /// Every row but the line's first (which starts at 0) is `hang` columns narrower: the caller draws it
    /// that far in (see `hangingIndent`).
    public static func wrap(
        _ chars: [Character], from start: Int = 0, width: Int, hard: Bool = false, hang: Int = 0
    ) -> [Range<Int>] {
        let n = chars.count
        let full = max(1, width)
        let hang = max(0, min(hang, full - 1))
        guard start < n else { return [start..<start] }
        var rows: [Range<Int>] = []
        var i = start
        while i < n {
            let width = i == 0 ? full : full - hang
            var col = 0
            var j = i
            var lastSpace = -1
            while j < n {
                let w = DisplayWidth.of(chars[j])
                if col + w > width { break }
                if !hard, chars[j] == " " { lastSpace = j }
                col += w
                j += 1
            }
            if j >= n {
                rows.append(i..<n)
                break
            }
            if hard {
                if j == i { j = i + 1 }  // a character wider than the row: give it a row of its own
                rows.append(i..<j)
                i = j
            } else if chars[j] == " " {
                rows.append(i..<j)
                i = j + 1
            } else if lastSpace > i {
                rows.append(i..<lastSpace)
                i = lastSpace + 1
            } else {
                if j == i { j = i + 1 }
                rows.append(i..<j)
                i = j
            }
        }
        return rows
    }

    /// Convenience for tests and one-off text: the wrapped rows as strings, continuation rows indented as the
    /// chat pane draws them.
    public static func wrapLines(_ text: String, width: Int, hard: Bool = false) -> [String] {
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let chars = Array(line)
            let hang = hard ? 0 : hangingIndent(chars, width: width)
            for r in wrap(chars, width: width, hard: hard, hang: hang) {
                out.append(String(repeating: " ", count: r.lowerBound > 0 ? hang : 0) + String(chars[r]))
            }
        }
        return out
    }

    /// Where a prose line's continuation rows start, so a wrapped entry stays readable as one:
    /// - an indented two-column line (`  /cost        Tokens and cost…`, a help table, an aligned listing):
    ///   under its second column, the text after the first run of two or more spaces;
    /// - a list item (`- `, `* `, `• `, `1. `): under the item's text;
    /// - any other indented line: under its first character.
    /// Nothing for a line that starts at column 0 without a list marker (prose), or when the column would
    /// leave less than half the width for the text.
    /// Reads at most the first `width` characters, so a long streamed line costs the same per token.
    public static func hangingIndent(_ chars: [Character], width: Int) -> Int {
        let end = min(chars.count, max(1, width))
        var lead = 0
        while lead < end, chars[lead] == " " { lead += 1 }
        guard lead < end else { return 0 }
        var hang = lead
        if let marker = listMarkerLength(chars, at: lead) {
            hang = lead + marker
        } else if lead > 0 {
            var i = lead
            while i + 1 < end, !(chars[i] == " " && chars[i + 1] == " ") { i += 1 }
            var j = i
            while j < end, chars[j] == " " { j += 1 }
            if i + 1 < end, j < end { hang = j }
        }
        var column = 0
        for c in chars[..<hang] { column += DisplayWidth.of(c) }
        return column * 2 <= width ? column : (lead * 2 <= width ? lead : 0)
    }

    /// The length of a list marker and its space at `i` ("- ", "* ", "• ", "12. "), if one is there.
    static func listMarkerLength(_ chars: [Character], at i: Int) -> Int? {
        guard i + 1 < chars.count else { return nil }
        if ["-", "*", "•"].contains(chars[i]), chars[i + 1] == " " { return 2 }
        var j = i
        while j < chars.count, j - i < 3, chars[j].isASCII, chars[j].isNumber { j += 1 }
        guard j > i, j + 1 < chars.count, chars[j] == ".", chars[j + 1] == " " else { return nil }
        return j - i + 2
    }

    /// Characters fit for drawing: tabs become spaces, other control characters are dropped.
    public static func sanitize(_ s: some StringProtocol) -> [Character] {
        var out: [Character] = []
        out.reserveCapacity(s.utf8.count)
        for c in s {
            if let a = c.asciiValue, a < 0x20 || a == 0x7F {
                if a == 0x09 { out.append(contentsOf: [" ", " ", " ", " "]) } else if a == 0x0A { out.append("\n") }
                continue
            }
            if let f = c.unicodeScalars.first, f.value >= 0x80 && f.value < 0xA0 { continue }
            out.append(c)
        }
        return out
    }
}
