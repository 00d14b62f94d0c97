import NexusCore

/// The completion menu that opens above the input row while a /command is typed: up to eight candidates
/// with their summaries, the selected one highlighted.
enum CompletionMenu {
    static func draw(_ g: inout CellGrid, _ input: InputLine, above y: Int) {
        let shown = Array(input.candidates.prefix(min(8, max(0, y))))
        guard !shown.isEmpty else { return }
        let nameW = min(24, shown.map { DisplayWidth.of($0.text) }.max() ?? 0)
        let w = min(g.width - 2, max(20, nameW + 2 + (shown.map { DisplayWidth.of($0.summary) }.max() ?? 0) + 2))
        for (i, c) in shown.enumerated() {
            let row = y - shown.count + i
            let selected = input.candidateIndex == i
            let r = Rect(x: 1, y: row, width: w, height: 1)
            g.fill(r, style: selected ? .selection : .overlay)
            let text = " " + DisplayWidth.pad(c.text, to: nameW) + "  " + c.summary
            g.put(text, row: row, col: 1, style: selected ? .selection : .overlay, limit: r.maxX)
        }
    }
}
