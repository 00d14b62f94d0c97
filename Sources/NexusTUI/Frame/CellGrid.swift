/// An off-screen frame: one character and one style per terminal cell.
///
/// Panes draw into a grid; the driver diffs it against the previous frame and sends only the
/// changed runs to curses. A wide character fills its cell and marks the next one as its
/// continuation, so a grid is always as wide in columns as the terminal.
public struct CellGrid: Equatable, Sendable {
    /// The marker stored in the right half of a wide character.
    public static let continuation: Character = "\u{0}"

    public let width: Int
    public let height: Int
    public internal(set) var chars: [Character]
    public internal(set) var styles: [Style]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        chars = Array(repeating: " ", count: self.width * self.height)
        styles = Array(repeating: .normal, count: self.width * self.height)
    }

    public subscript(row: Int, col: Int) -> Character { chars[row * width + col] }
    public func style(row: Int, col: Int) -> Style { styles[row * width + col] }

    /// Fills a rectangle (clipped to the grid) with one character and style.
    public mutating func fill(_ r: Rect, _ c: Character = " ", style: Style = .normal) {
        let x0 = max(0, r.x), x1 = min(width, r.maxX)
        let y0 = max(0, r.y), y1 = min(height, r.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            let base = y * width
            if x0 > 0, chars[base + x0] == Self.continuation { chars[base + x0 - 1] = " " }
            if x1 < width, chars[base + x1] == Self.continuation { chars[base + x1] = " " }
            for x in x0..<x1 {
                chars[base + x] = c
                styles[base + x] = style
            }
        }
    }

    /// Writes characters from `col` on `row`, never past `limit` (exclusive, default the grid's
    /// width). Returns the column after the last one written. Characters of width 0 are skipped;
    /// a wide character that would straddle the limit is replaced by a space.
    @discardableResult
    public mutating func put<S: Sequence<Character>>(
        _ text: S, row: Int, col: Int, style: Style, limit: Int? = nil
    ) -> Int {
        guard row >= 0, row < height else { return col }
        let end = min(limit ?? width, width)
        var x = col
        let base = row * width
        for c in text {
            if x >= end { break }
            let w = DisplayWidth.of(c)
            if w == 0 { continue }
            if x < 0 {
                x += w
                continue
            }
            if x + w > end {
                setCell(base, x, " ", style)
                x += 1
                break
            }
            setCell(base, x, c, style)
            if w == 2 {
                if x + 2 < width, chars[base + x + 2] == Self.continuation { chars[base + x + 2] = " " }
                chars[base + x + 1] = Self.continuation
                styles[base + x + 1] = style
            }
            x += w
        }
        return x
    }

    @inline(__always)
    private mutating func setCell(_ base: Int, _ x: Int, _ c: Character, _ style: Style) {
        if chars[base + x] == Self.continuation, x > 0 { chars[base + x - 1] = " " }
        if x + 1 < width, chars[base + x + 1] == Self.continuation { chars[base + x + 1] = " " }
        chars[base + x] = c
        styles[base + x] = style
    }

    /// Changes the style of cells without touching their characters (highlighting a row).
    public mutating func restyle(_ r: Rect, style: Style) {
        let x0 = max(0, r.x), x1 = min(width, r.maxX)
        let y0 = max(0, r.y), y1 = min(height, r.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 { for x in x0..<x1 { styles[y * width + x] = style } }
    }

    /// A border around `r` with a title on its top edge.
    public mutating func box(_ r: Rect, title: String, focused: Bool) {
        guard r.width >= 2, r.height >= 2 else { return }
        let s: Style = focused ? .borderFocus : .border
        let h: Character = focused ? "━" : "─"
        let v: Character = focused ? "┃" : "│"
        let corners: (Character, Character, Character, Character) =
            focused ? ("┏", "┓", "┗", "┛") : ("┌", "┐", "└", "┘")
        let inner = r.width - 2
        put(CollectionOfOne(corners.0), row: r.y, col: r.x, style: s)
        put(repeatElement(h, count: inner), row: r.y, col: r.x + 1, style: s)
        put(CollectionOfOne(corners.1), row: r.y, col: r.maxX - 1, style: s)
        for y in (r.y + 1)..<(r.maxY - 1) {
            put(CollectionOfOne(v), row: y, col: r.x, style: s)
            put(CollectionOfOne(v), row: y, col: r.maxX - 1, style: s)
        }
        put(CollectionOfOne(corners.2), row: r.maxY - 1, col: r.x, style: s)
        put(repeatElement(h, count: inner), row: r.maxY - 1, col: r.x + 1, style: s)
        put(CollectionOfOne(corners.3), row: r.maxY - 1, col: r.maxX - 1, style: s)
        if inner > 4 {
            let t = " " + DisplayWidth.truncate(title, to: inner - 4) + " "
            put(t, row: r.y, col: r.x + 2, style: focused ? .titleFocus : .title, limit: r.maxX - 1)
        }
    }

    /// Row `y` as text, continuation cells left out: what a terminal capture of this row shows.
    public func text(row y: Int) -> String {
        var s = ""
        for x in 0..<width where chars[y * width + x] != Self.continuation { s.append(chars[y * width + x]) }
        return s
    }

    /// The whole grid as lines (trailing spaces kept), for tests and snapshots.
    public var lines: [String] { (0..<height).map { text(row: $0) } }
}
