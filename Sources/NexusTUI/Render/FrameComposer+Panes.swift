import NexusCore
import NexusOrchestrator

/// The side panes: pipeline graph (and its one-row strip), module health matrix, tokens and cost.
extension FrameComposer {
    static func nodeStyle(_ s: PipelineModel.NodeStatus) -> Style {
        switch s {
        case .idle: .nodeIdle
        case .active: .nodeActive
        case .ok: .nodeOK
        case .error: .nodeError
        }
    }

    static func drawPipeline(_ g: inout CellGrid, _ p: PipelineModel, _ r: Rect, focused: Bool) {
        guard r.width >= 10, r.height >= 3 else { return }
        g.box(r, title: "pipeline", focused: focused)
        let inner = r.inset
        let nodes = p.visibleNodes
        let spaced = inner.height >= nodes.count * 2 - 1
        guard inner.height >= nodes.count else {
            drawStrip(&g, p, Rect(x: inner.x, y: inner.y, width: inner.width, height: 1))
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

    static let shortNames: [PipelineNode: String] = [
        .input: "input", .classifier: "classify", .tierRouter: "tier", .modelSelector: "model",
        .toolPicker: "tools", .executor: "exec", .synthesis: "synth", .liveTest: "live",
        .credentials: "creds",
    ]

    /// One row: `input › classify › tier › …` with each node in its status colour, then the decisions.
    static func drawStrip(_ g: inout CellGrid, _ p: PipelineModel, _ r: Rect) {
        g.fill(r)
        var x = r.x
        for (i, n) in p.visibleNodes.enumerated() {
            if i > 0 { x = g.put("›", row: r.y, col: x, style: .border, limit: r.maxX) }
            x = g.put(shortNames[n] ?? n.title, row: r.y, col: x, style: nodeStyle(p.state(n).status), limit: r.maxX)
        }
        var decided = [p.taskType, p.tier, p.model].compactMap { $0 }
        if x + 3 + DisplayWidth.of(decided.joined(separator: " · ")) > r.maxX {
            decided = [p.taskType, p.model].compactMap { $0 }  // narrow: the tier is on the pipeline pane
        }
        if !decided.isEmpty {
            g.put(" │ " + decided.joined(separator: " · "), row: r.y, col: x, style: .detail, limit: r.maxX)
        }
    }

    static func healthGlyph(_ h: ModuleHealth) -> (String, Style) {
        switch h {
        case .healthy: ("●", .healthy)
        case .degraded: ("◐", .degraded)
        case .failing: ("✗", .failing)
        case .disabled: ("○", .disabled)
        case .unknown: ("?", .unknown)
        }
    }

    static func drawModules(_ g: inout CellGrid, _ m: ModuleHealthModel, _ r: Rect, focused: Bool) {
        guard r.width >= 10, r.height >= 3 else { return }
        g.box(r, title: "modules (\(m.rows.count))", focused: focused)
        let inner = r.inset
        guard inner.height > 0 else { return }
        if m.rows.isEmpty {
            g.put(" no modules installed", row: inner.y, col: inner.x, style: .dim, limit: inner.maxX)
            return
        }
        let nameW = max(8, min(18, inner.width - 30))
        let header = "  " + DisplayWidth.pad("module", to: nameW) + " calls  err%    p50  last error"
        g.put(header, row: inner.y, col: inner.x, style: .title, limit: inner.maxX)
        for (i, row) in m.rows.prefix(max(0, inner.height - 1)).enumerated() {
            let y = inner.y + 1 + i
            let (glyph, st) = healthGlyph(row.health)
            var x = g.put(glyph + " ", row: y, col: inner.x, style: st, limit: inner.maxX)
            x = g.put(DisplayWidth.pad(row.name, to: nameW), row: y, col: x, style: st, limit: inner.maxX)
            let calls = DisplayWidth.pad(String(row.calls), to: 6, alignRight: true)
            let err = DisplayWidth.pad(String(Int((row.errorRate * 100).rounded())) + "%", to: 6, alignRight: true)
            let p50 = DisplayWidth.pad(row.p50LatencyMs.map { UIState.ms($0) } ?? "–", to: 7, alignRight: true)
            x = g.put(calls + err + p50 + "  ", row: y, col: x, style: .normal, limit: inner.maxX)
            if let e = row.lastError {
                g.put(
                    e.split(separator: "\n").first.map(String.init) ?? "", row: y, col: x, style: .error,
                    limit: inner.maxX)
            }
        }
    }

    static func tokens(_ n: Int) -> String {
        if n >= 1_000_000 { return "\(Double(n / 100_000) / 10)M" }
        if n >= 10_000 { return "\(n / 1000)k" }
        if n >= 1000 { return "\(Double(n / 100) / 10)k" }
        return String(n)
    }

    static func dollars(_ v: Double) -> String { Money.dollars(v, decimals: 4) }

    static func drawCosts(_ g: inout CellGrid, _ c: CostModel, _ r: Rect, focused: Bool) {
        guard r.width >= 10, r.height >= 3 else { return }
        g.box(r, title: "tokens & cost", focused: focused)
        let inner = r.inset
        var y = inner.y
        let keyW = max(8, min(20, inner.width - 26))
        func line(_ key: String, _ row: StatusSnapshot.CostRow, _ st: Style) {
            guard y < inner.maxY else { return }
            // "~": estimated counts (the server reported none).
            let approx = row.estimated ? "~" : ""
            let t =
                DisplayWidth.pad(key, to: keyW)
                + DisplayWidth.pad(approx + tokens(row.tokensIn), to: 7, alignRight: true)
                + " /" + DisplayWidth.pad(approx + tokens(row.tokensOut), to: 6, alignRight: true)
                + DisplayWidth.pad(dollars(row.costUSD), to: 10, alignRight: true)
            g.put(t, row: y, col: inner.x + 1, style: st, limit: inner.maxX)
            y += 1
        }
        func section(
            _ title: String, _ total: StatusSnapshot.CostRow, _ prov: [StatusSnapshot.CostRow],
            _ task: [StatusSnapshot.CostRow]
        ) {
            line(title, total, .title)
            for p in prov.sorted(by: { $0.key < $1.key }) { line("  " + p.key, p, .normal) }
            for t in task.sorted(by: { $0.key < $1.key }) { line("  · " + t.key, t, .dim) }
        }
        section("session", c.sessionTotal, c.sessionByProvider, c.sessionByTask)
        section("all time", c.allTimeTotal, c.allTimeByProvider, c.allTimeByTask)
    }
}
