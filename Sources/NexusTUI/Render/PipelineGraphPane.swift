import NexusCore

/// The pipeline graph: the chat turn's seven nodes (or a module build's stages) top to bottom, each in its
/// status colour with its last latency and what it decided. Too short for every node, it draws the strip.
enum PipelineGraphPane {
    static func draw(_ g: inout CellGrid, _ p: PipelineModel, _ r: Rect, focused: Bool) {
        guard r.width >= 10, r.height >= 3 else { return }
        g.box(r, title: "pipeline", focused: focused)
        let inner = r.inset
        let nodes = p.visibleNodes
        let spaced = inner.height >= nodes.count * 2 - 1
        guard inner.height >= nodes.count else {
            PipelineStrip.draw(&g, p, Rect(x: inner.x, y: inner.y, width: inner.width, height: 1))
            return
        }
        let nameW = 16
        for (i, n) in nodes.enumerated() {
            let y = inner.y + (spaced ? i * 2 : i)
            let st = p.state(n)
            var x = inner.x
            let marker = st.status == .active ? "▶" : " "
            x = g.put(marker, row: y, col: x, style: .nodeActive, limit: inner.maxX)
            let name = "[" + DisplayWidth.pad(n.title, to: nameW - 2) + "]"
            x = g.put(name, row: y, col: x, style: nodeStyle(st.status), limit: inner.maxX)
            let badge = st.lastLatencyMs.map { UIState.ms($0) } ?? "–"
            x = g.put(
                " " + DisplayWidth.pad(badge, to: 7, alignRight: true), row: y, col: x, style: .badge, limit: inner.maxX
            )
            if let a = p.annotation(n) {
                g.put("  " + a, row: y, col: x, style: .detail, limit: inner.maxX)
            }
            if spaced, i + 1 < nodes.count {
                g.put(
                    i + 2 == nodes.count ? "       ▼" : "       │", row: y + 1, col: inner.x, style: .border,
                    limit: inner.maxX)
            }
        }
    }

    static func nodeStyle(_ s: PipelineModel.NodeStatus) -> Style {
        switch s {
        case .idle: .nodeIdle
        case .active: .nodeActive
        case .ok: .nodeOK
        case .error: .nodeError
        }
    }
}
