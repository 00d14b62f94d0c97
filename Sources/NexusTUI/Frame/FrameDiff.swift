/// The cells that changed between two frames, as runs of one style on one row.
///
/// Only these reach curses, so streaming a token repaints a few cells, not the screen. A run never
/// starts or ends inside a wide character: both halves go out together.
public struct FrameDiff: Sendable, Equatable {
    /// A horizontal stretch of changed cells sharing one style.
    public struct Run: Sendable, Equatable {
        public var row: Int
        public var col: Int
        /// Columns covered (wide characters count 2).
        public var columns: Int
        /// What to draw, continuation cells left out.
        public var text: String
        public var style: Style
    }

    public var runs: [Run]
    /// True when the previous frame had another size: everything is redrawn.
    public var isFull: Bool

    public var changedCells: Int { runs.reduce(0) { $0 + $1.columns } }

    /// Runs that turn `previous` into `next` (all of `next` when sizes differ or there is no previous).
    public static func between(_ previous: CellGrid?, _ next: CellGrid) -> FrameDiff {
        let full = previous == nil || previous?.width != next.width || previous?.height != next.height
        var runs: [Run] = []
        let w = next.width
        guard w > 0 else { return FrameDiff(runs: [], isFull: full) }
        let cont = CellGrid.continuationCode
        var changed = [Bool](repeating: false, count: w)
        for y in 0..<next.height {
            let base = y * w
            var any = false
            if full {
                for x in 0..<w { changed[x] = true }
                any = true
            } else if let p = previous {
                for x in 0..<w {
                    let i = base + x
                    let diff = p.styles[i] != next.styles[i] || !next.sameCell(i, p)
                    changed[x] = diff
                    if diff { any = true }
                }
            }
            guard any else { continue }
            // Keep wide characters whole.
            for x in 1..<max(1, w) where changed[x] && next.codes[base + x] == cont { changed[x - 1] = true }
            var x = 0
            while x < w {
                if !changed[x] || next.codes[base + x] == cont {
                    x += 1
                    continue
                }
                let style = next.styles[base + x]
                let start = x
                var text = ""
                while x < w {
                    let code = next.codes[base + x]
                    if code == cont {
                        if x == start { break }
                        x += 1
                        continue
                    }
                    guard changed[x], next.styles[base + x] == style else { break }
                    if code < 0x80 {
                        text.unicodeScalars.append(Unicode.Scalar(UInt8(code)))
                    } else {
                        text += next.text(of: code)
                    }
                    x += 1
                }
                if x == start { x += 1 }
                runs.append(Run(row: y, col: start, columns: x - start, text: text, style: style))
            }
        }
        return FrameDiff(runs: runs, isFull: full)
    }
}
