import NexusCore

/// The module health matrix: one row per module with its health glyph, calls, error rate, p50 latency and
/// last error, so a failing or degraded module is seen at a glance (DESIGN §4.4).
enum ModuleHealthPane {
    static func draw(_ g: inout CellGrid, _ m: ModuleHealthModel, _ r: Rect, focused: Bool) {
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

    static func healthGlyph(_ h: ModuleHealth) -> (String, Style) {
        switch h {
        case .healthy: ("●", .healthy)
        case .degraded: ("◐", .degraded)
        case .failing: ("✗", .failing)
        case .disabled: ("○", .disabled)
        case .unknown: ("?", .unknown)
        }
    }
}
