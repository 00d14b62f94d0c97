/// An off-screen frame: one character and one style per terminal cell.
///
/// Panes draw into a grid; the driver diffs it against the previous frame and sends only the
/// changed runs to curses. A wide character fills its cell and marks the next one as its
/// continuation, so a grid is always as wide in columns as the terminal.
///
/// Cells hold 32-bit codes rather than `Character`s (a frame is rebuilt 60 times a second): a
/// single-scalar character is its scalar value, a multi-scalar cluster (e + combining accent, a
/// ZWJ emoji) is an index into `clusters`, and 0 marks the right half of a wide character.
public struct CellGrid: Equatable, Sendable {
    /// The character `subscript` returns for the right half of a wide character.
    public static let continuation: Character = "\u{0}"
    static let continuationCode: UInt32 = 0
    static let space: UInt32 = 0x20
    static let clusterFlag: UInt32 = 0x8000_0000

    public let width: Int
    public let height: Int
    public internal(set) var codes: [UInt32]
    public internal(set) var styles: [Style]
    var clusters: [String] = []

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        codes = Array(repeating: Self.space, count: self.width * self.height)
        styles = Array(repeating: .normal, count: self.width * self.height)
    }

    public subscript(row: Int, col: Int) -> Character { character(codes[row * width + col]) }
    public func style(row: Int, col: Int) -> Style { styles[row * width + col] }

    func character(_ code: UInt32) -> Character {
        if code == Self.continuationCode { return Self.continuation }
        if code & Self.clusterFlag != 0 {
            let i = Int(code & ~Self.clusterFlag)
            return i < clusters.count ? (clusters[i].first ?? " ") : " "
        }
        return Character(Unicode.Scalar(code) ?? " ")
    }

    /// The text of one cell's code (what curses is sent).
    func text(of code: UInt32) -> String {
        if code & Self.clusterFlag != 0 {
            let i = Int(code & ~Self.clusterFlag)
            return i < clusters.count ? clusters[i] : " "
        }
        return String(Unicode.Scalar(code) ?? " ")
    }

    /// True when cell `i` of `self` and cell `i` of `other` show the same thing.
    @inline(__always)
    func sameCell(_ i: Int, _ other: CellGrid) -> Bool {
        let a = codes[i]
        let b = other.codes[i]
        if a == b { return a & Self.clusterFlag == 0 || clusters == other.clusters || text(of: a) == other.text(of: b) }
        if a & Self.clusterFlag != 0 && b & Self.clusterFlag != 0 { return text(of: a) == other.text(of: b) }
        return false
    }

    /// Code and display width for a character.
    @inline(__always)
    mutating func encode(_ c: Character) -> (UInt32, Int) {
        let u = c.utf8
        if u.count == 1, let b = u.first {
            return b >= 0x20 && b != 0x7F ? (UInt32(b), 1) : (Self.space, 0)
        }
        var it = c.unicodeScalars.makeIterator()
        guard let first = it.next() else { return (Self.space, 0) }
        if it.next() == nil { return (first.value, DisplayWidth.of(scalar: first.value)) }
        let w = DisplayWidth.of(c)
        clusters.append(String(c))
        return (Self.clusterFlag | UInt32(clusters.count - 1), w)
    }

    /// Fills a rectangle (clipped to the grid) with one character and style.
    public mutating func fill(_ r: Rect, _ c: Character = " ", style: Style = .normal) {
        let x0 = max(0, r.x)
        let x1 = min(width, r.maxX)
        let y0 = max(0, r.y)
        let y1 = min(height, r.maxY)
        guard x0 < x1, y0 < y1 else { return }
        let (code, w) = encode(c)
        let fillCode = w == 1 ? code : Self.space
        for y in y0..<y1 {
            let base = y * width
            if x0 > 0, codes[base + x0] == Self.continuationCode { codes[base + x0 - 1] = Self.space }
            if x1 < width, codes[base + x1] == Self.continuationCode { codes[base + x1] = Self.space }
            for x in x0..<x1 {
                codes[base + x] = fillCode
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
            if DisplayWidth.splits(c) {
                // Drawn piece by piece; see DisplayWidth.isDisputed.
                for sc in c.unicodeScalars where !DisplayWidth.isDisputed(sc.value) {
                    let w = DisplayWidth.of(scalar: sc.value)
                    if w > 0, !place(base, &x, end, sc.value, w, style) { return x }
                }
                continue
            }
            let (code, w) = encode(c)
            if w == 0 { continue }
            if !place(base, &x, end, code, w, style) { break }
        }
        return x
    }

    /// The same for a `String`, walking scalars instead of grapheme clusters (much cheaper, and
    /// labels are redrawn every frame): combining marks are attached to the cell before them; joiners,
    /// variation selectors and skin-tone modifiers are left out (`DisplayWidth.isDisputed`).
    @discardableResult
    public mutating func put(_ text: String, row: Int, col: Int, style: Style, limit: Int? = nil) -> Int {
        guard row >= 0, row < height else { return col }
        let end = min(limit ?? width, width)
        var x = col
        let base = row * width
        var last = -1
        for sc in text.unicodeScalars {
            let v = sc.value
            let w = DisplayWidth.of(scalar: v)
            if v < 0x20 || (v >= 0x7F && v < 0xA0) || DisplayWidth.isDisputed(v) { continue }
            if w == 0 {
                if last >= 0 {
                    clusters.append(self.text(of: codes[base + last]) + String(sc))
                    codes[base + last] = Self.clusterFlag | UInt32(clusters.count - 1)
                }
                continue
            }
            if x >= end { break }
            let at = x
            if !place(base, &x, end, v, w, style) { break }
            if at >= 0 { last = at }
        }
        return x
    }

    /// Writes one character `count` times (rules, borders).
    @discardableResult
    mutating func putRepeated(_ c: Character, count: Int, row: Int, col: Int, style: Style) -> Int {
        guard row >= 0, row < height, count > 0 else { return col }
        let (code, w) = encode(c)
        guard w > 0 else { return col }
        var x = col
        let base = row * width
        for _ in 0..<count where !place(base, &x, width, code, w, style) { break }
        return x
    }

    /// Places one encoded character at `x`, advancing it; false when the row is full.
    @inline(__always)
    private mutating func place(_ base: Int, _ x: inout Int, _ end: Int, _ code: UInt32, _ w: Int, _ style: Style)
        -> Bool
    {
        if x < 0 {
            x += w
            return true
        }
        if x + w > end {
            if x < end { setCell(base, x, Self.space, style) }
            x += 1
            return false
        }
        setCell(base, x, code, style)
        if w == 2 {
            if x + 2 < width, codes[base + x + 2] == Self.continuationCode { codes[base + x + 2] = Self.space }
            codes[base + x + 1] = Self.continuationCode
            styles[base + x + 1] = style
        }
        x += w
        return true
    }

    @inline(__always)
    private mutating func setCell(_ base: Int, _ x: Int, _ code: UInt32, _ style: Style) {
        if codes[base + x] == Self.continuationCode, x > 0 { codes[base + x - 1] = Self.space }
        if x + 1 < width, codes[base + x + 1] == Self.continuationCode { codes[base + x + 1] = Self.space }
        codes[base + x] = code
        styles[base + x] = style
    }

    /// Changes the style of cells without touching their characters (highlighting a row).
    public mutating func restyle(_ r: Rect, style: Style) {
        let x0 = max(0, r.x)
        let x1 = min(width, r.maxX)
        let y0 = max(0, r.y)
        let y1 = min(height, r.maxY)
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
        putRepeated(corners.0, count: 1, row: r.y, col: r.x, style: s)
        putRepeated(h, count: inner, row: r.y, col: r.x + 1, style: s)
        putRepeated(corners.1, count: 1, row: r.y, col: r.maxX - 1, style: s)
        for y in (r.y + 1)..<(r.maxY - 1) {
            putRepeated(v, count: 1, row: y, col: r.x, style: s)
            putRepeated(v, count: 1, row: y, col: r.maxX - 1, style: s)
        }
        putRepeated(corners.2, count: 1, row: r.maxY - 1, col: r.x, style: s)
        putRepeated(h, count: inner, row: r.maxY - 1, col: r.x + 1, style: s)
        putRepeated(corners.3, count: 1, row: r.maxY - 1, col: r.maxX - 1, style: s)
        if inner > 4 {
            let t = " " + DisplayWidth.truncate(title, to: inner - 4) + " "
            put(t, row: r.y, col: r.x + 2, style: focused ? .titleFocus : .title, limit: r.maxX - 1)
        }
    }

    /// Row `y` as text, continuation cells left out: what a terminal capture of this row shows.
    public func text(row y: Int) -> String {
        var s = ""
        for x in 0..<width where codes[y * width + x] != Self.continuationCode { s += text(of: codes[y * width + x]) }
        return s
    }

    /// The whole grid as lines (trailing spaces kept), for tests and snapshots.
    public var lines: [String] { (0..<height).map { text(row: $0) } }
}
