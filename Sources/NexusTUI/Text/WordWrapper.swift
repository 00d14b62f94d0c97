/// Breaks a line of characters into rows that fit a width, measured in terminal columns.
///
/// Prose breaks at spaces (a word longer than the row is split); code breaks anywhere. Results are
/// ranges into the caller's array, so a streaming line can be re-wrapped from its last row onward:
/// greedy wrapping makes every row start a fixed point, so resuming gives exactly the full result.
public enum WordWrapper {
    /// Rows for `chars[start...]`, at most `width` columns each. An empty input gives one empty row.
    public static func wrap(_ chars: [Character], from start: Int = 0, width: Int, hard: Bool = false) -> [Range<Int>] {
        let n = chars.count
        let width = max(1, width)
        guard start < n else { return [start..<start] }
        var rows: [Range<Int>] = []
        var i = start
        while i < n {
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

    /// Convenience for tests and one-off text: the wrapped rows as strings.
    public static func wrapLines(_ text: String, width: Int, hard: Bool = false) -> [String] {
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let chars = Array(line)
            for r in wrap(chars, width: width, hard: hard) { out.append(String(chars[r])) }
        }
        return out
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
