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
        var changed = [Bool](repeating: false, count: w)
        for y in 0..<next.height {
            let base = y * w
            var any = false
            for x in 0..<w {
                let i = base + x
                let diff: Bool
                if full {
                    diff = true
                } else if let p = previous {
                    diff = p.chars[i] != next.chars[i] || p.styles[i] != next.styles[i]
                } else {
                    diff = true
                }
                changed[x] = diff
                if diff { any = true }
            }
            guard any else { continue }
            // Keep wide characters whole.
            for x in 0..<w where changed[x] {
                if next.chars[base + x] == CellGrid.continuation, x > 0 { changed[x - 1] = true }
            }
            var x = 0
            while x < w {
                if !changed[x] || next.chars[base + x] == CellGrid.continuation {
                    x += 1
                    continue
                }
                let style = next.styles[base + x]
                let start = x
                var text = ""
                while x < w, changed[x] || next.chars[base + x] == CellGrid.continuation,
                    next.styles[base + x] == style || next.chars[base + x] == CellGrid.continuation
                {
                    let c = next.chars[base + x]
                    if c != CellGrid.continuation { text.append(c) } else if x == start { break }
                    x += 1
                }
                if x == start { x += 1 }
                runs.append(Run(row: y, col: start, columns: x - start, text: text, style: style))
            }
        }
        return FrameDiff(runs: runs, isFull: full)
    }
}
