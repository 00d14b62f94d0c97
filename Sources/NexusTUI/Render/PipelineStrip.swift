import NexusCore

/// The one-row pipeline summary of the compact layout (80 columns and narrower):
/// `input › classify › tier › …` with each node in its status colour, then what the turn decided.
enum PipelineStrip {
    static let shortNames: [PipelineNode: String] = [
        .input: "input", .classifier: "classify", .tierRouter: "tier", .modelSelector: "model",
        .toolPicker: "tools", .executor: "exec", .synthesis: "synth", .liveTest: "live",
        .credentials: "creds",
    ]

    static func draw(_ g: inout CellGrid, _ p: PipelineModel, _ r: Rect) {
        g.fill(r)
        var x = r.x
        for (i, n) in p.visibleNodes.enumerated() {
            if i > 0 { x = g.put("›", row: r.y, col: x, style: .border, limit: r.maxX) }
            x = g.put(
                shortNames[n] ?? n.title, row: r.y, col: x, style: PipelineGraphPane.nodeStyle(p.state(n).status),
                limit: r.maxX)
        }
        var decided = [p.taskType, p.tier, p.modelShown].compactMap { $0 }
        if x + 3 + DisplayWidth.of(decided.joined(separator: " · ")) > r.maxX {
            decided = [p.taskType, p.modelShown].compactMap { $0 }  // narrow: the tier is on the pipeline pane
        }
        if x + 3 + DisplayWidth.of(decided.joined(separator: " · ")) > r.maxX {
            decided = [p.modelShown].compactMap { $0 }  // narrower: the model (or a route change) alone
        }
        if !decided.isEmpty {
            g.put(" │ " + decided.joined(separator: " · "), row: r.y, col: x, style: .detail, limit: r.maxX)
        }
    }
}
