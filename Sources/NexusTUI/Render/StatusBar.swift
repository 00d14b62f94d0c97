import NexusCore

/// The status bar on the last row: each provider with its reachability, the privacy mode, the sandbox tier,
/// how long the running turn has taken, dropped events and the last flash message, then the key hint.
enum StatusBar {
    static func draw(_ g: inout CellGrid, _ state: UIState, _ r: Rect, compact: Bool, nowNs: UInt64) {
        g.fill(r, style: .status)
        var x = r.x
        func seg(_ s: String, _ st: Style) { x = g.put(s, row: r.y, col: x, style: st, limit: r.maxX) }
        seg(" nexus ", .status)
        if state.providers.isEmpty { seg("│ no providers ", .statusWarn) }
        for p in state.providers {
            seg("│ ", .status)
            switch p.reachable {
            case .some(true): seg("● ", .statusGood)
            case .some(false): seg("✗ ", .statusBad)
            case .none: seg("○ ", .status)
            }
            seg(p.name + " ", .status)
        }
        seg("│ privacy: \(state.privacy.rawValue) ", state.privacy == .localOnly ? .statusGood : .status)
        seg("│ sandbox: \(state.sandboxTier ?? "?") ", .status)
        if state.busy {
            let secs = nowNs > state.busySinceNs ? Double(nowNs - state.busySinceNs) / 1e9 : 0
            seg("│ ◌ running \(Double(Int(secs * 10)) / 10)s ", .statusWarn)
        }
        if state.droppedEvents > 0 { seg("│ \(state.droppedEvents) events dropped ", .statusWarn) }
        if let f = state.flash {
            seg("│ \(f) ", .statusWarn)
        }
        let hint = compact ? "Tab/F6 \(state.focus.title) · ? keys " : "F6 focus · ? keys "
        let hx = r.maxX - DisplayWidth.of(hint)
        if hx > x { g.put(hint, row: r.y, col: hx, style: .status, limit: r.maxX) }
    }
}
