import NexusCore

/// The proof overlay: a box over the panes with the summary, a file or the diff, and its keys below.
extension FrameComposer {
    static func drawProof(_ g: inout CellGrid, _ p: ProofOverlay) {
        let w = min(g.width, max(40, min(110, g.width - 4)))
        let h = min(g.height, max(8, g.height - 4))
        let r = Rect(x: max(0, (g.width - w) / 2), y: max(0, (g.height - h) / 2), width: w, height: h)
        g.fill(r, style: .overlay)
        g.box(r, title: DisplayWidth.truncate(p.heading, to: max(1, w - 6)), focused: true)
        let rows = proofRows(height: h)
        let lines = p.lines
        for i in 0..<rows {
            let n = p.scroll + i
            guard n < lines.count else { break }
            let text = String(WordWrapper.sanitize(lines[n].replacingTabs))
            g.put(text, row: r.y + 1 + i, col: r.x + 2, style: .overlay, limit: r.maxX - 1)
        }
        let more = lines.count > p.scroll + rows ? "  ↓\(lines.count - p.scroll - rows) more" : ""
        g.put(ProofOverlay.footer + more, row: r.maxY - 2, col: r.x + 2, style: .overlayKey, limit: r.maxX - 1)
    }

    /// Text rows inside the overlay (borders and the key line left out).
    static func proofRows(height: Int) -> Int { max(1, height - 3) }
}

extension String {
    fileprivate var replacingTabs: String { String(flatMap { $0 == "\t" ? ["    "] : [String($0)] }.joined()) }
}
