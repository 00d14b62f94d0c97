import NexusCore

/// The keys overlay (`?` or F1): every key the TUI knows and what it does, centred over the panes.
enum HelpOverlay {
    static let lines: [(String, String)] = [
        ("Enter", "send the line (a chat turn or a /command)"),
        ("Tab", "complete a /command; on an empty line, next pane"),
        ("F6 / Shift-Tab", "cycle pane focus (or click a pane)"),
        ("PgUp / PgDn / wheel", "scroll the chat"),
        ("↑ / ↓", "input history"),
        ("Ctrl-A/E/K/U/W", "line editing"),
        ("Ctrl-C", "cancel the running turn"),
        ("Ctrl-D, /quit", "exit"),
        ("y / n / a / t / v", "approval: a = always, these arguments; t = always, this tool; v = view"),
        ("v / d", "with a build's proof: view a file, the diff"),
        ("? or F1", "this list (any key closes it)"),
    ]

    static func draw(_ g: inout CellGrid) {
        let keyW = lines.map { DisplayWidth.of($0.0) }.max() ?? 0
        let textW = lines.map { DisplayWidth.of($0.1) }.max() ?? 0
        let w = min(g.width, keyW + textW + 6)
        let h = min(g.height, lines.count + 2)
        let r = Rect(x: max(0, (g.width - w) / 2), y: max(0, (g.height - h) / 2), width: w, height: h)
        g.fill(r, style: .overlay)
        g.box(r, title: "keys", focused: true)
        for (i, (k, t)) in lines.enumerated() where i + 1 < h - 1 {
            let y = r.y + 1 + i
            let x = g.put(DisplayWidth.pad(k, to: keyW), row: y, col: r.x + 2, style: .overlayKey, limit: r.maxX - 1)
            g.put("  " + t, row: y, col: x, style: .overlay, limit: r.maxX - 1)
        }
    }
}
