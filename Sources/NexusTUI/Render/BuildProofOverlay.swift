import NexusCore

/// The build proof overlay, shown while a built module's install waits for approval: a box over the panes
/// with the proof's summary, a file or the diff, and its keys below.
enum BuildProofOverlay {
    static func draw(_ g: inout CellGrid, _ p: ProofOverlay) {
        let w = min(g.width, max(40, min(110, g.width - 4)))
        let h = min(g.height, max(8, g.height - 4))
        let r = Rect(x: max(0, (g.width - w) / 2), y: max(0, (g.height - h) / 2), width: w, height: h)
        clearGutters(&g, r)
        g.fill(r, style: .overlay)
        g.box(r, title: DisplayWidth.truncate(p.heading, to: max(1, w - 6)), focused: true)
        let shown = Self.rows(height: h)
        let lines = p.lines
        for i in 0..<shown {
            let n = p.scroll + i
            guard n < lines.count else { break }
            let text = String(WordWrapper.sanitize(lines[n].replacingTabs))
            g.put(text, row: r.y + 1 + i, col: r.x + 2, style: .overlay, limit: r.maxX - 1)
        }
        let more = lines.count > p.scroll + shown ? "  ↓\(lines.count - p.scroll - shown) more" : ""
        g.put(ProofOverlay.footer + more, row: r.maxY - 2, col: r.x + 2, style: .overlayKey, limit: r.maxX - 1)
    }

    /// The column each side of the box is blanked where a pane drew text, so no stray half of a word shows
    /// between the overlay and a pane's border; the panes' own borders stay.
    static func clearGutters(_ g: inout CellGrid, _ r: Rect) {
        for col in [r.x - 1, r.maxX] where col >= 0 && col < g.width {
            for row in r.y..<min(r.maxY, g.height) {
                let v = g[row, col].unicodeScalars.first?.value ?? 0
                if !(0x2500...0x257F).contains(v) { g.fill(Rect(x: col, y: row, width: 1, height: 1)) }
            }
        }
    }

    /// Text rows inside the overlay (borders and the key line left out).
    static func rows(height: Int) -> Int { max(1, height - 3) }
}

extension String {
    fileprivate var replacingTabs: String { String(flatMap { $0 == "\t" ? ["    "] : [String($0)] }.joined()) }
}
