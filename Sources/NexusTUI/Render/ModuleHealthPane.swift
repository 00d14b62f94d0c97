import NexusCore
import NexusOrchestrator

/// The module health matrix: one row per module with its health glyph, calls, error rate, p50 latency, the
/// resident memory and CPU time of its process tree (sampled every 5 s, when the pane is wide enough) and
/// last error, so a failing or degraded module is seen at a glance (DESIGN §4.4). A last error takes the line under
/// its row when the pane is tall enough for every row and error, since a column of its own leaves it a few
/// characters in a side pane; otherwise it is cut, with "…", at the pane's edge.
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
        // Memory and CPU of each running module's process tree, when the pane is wide enough for them.
        let showResources = inner.width >= 60
        let nameW = max(8, min(18, inner.width - (showResources ? 45 : 30)))
        let errors = m.rows.reduce(0) { $0 + (shownError(of: $1) == nil ? 0 : 1) }
        let errorsBelow = m.rows.count + errors <= inner.height - 1
        let header =
            "  " + DisplayWidth.pad("module", to: nameW) + " calls  err%    p50"
            + (showResources ? "    mem    cpu" : "")
            + (errorsBelow ? "" : "  last error")
        g.put(header, row: inner.y, col: inner.x, style: .title, limit: inner.maxX)
        var y = inner.y
        for row in m.rows {
            y += 1
            guard y < inner.maxY else { break }
            let (glyph, st) = healthGlyph(row.health)
            var x = g.put(glyph + " ", row: y, col: inner.x, style: st, limit: inner.maxX)
            x = g.put(DisplayWidth.pad(row.name, to: nameW), row: y, col: x, style: st, limit: inner.maxX)
            let calls = DisplayWidth.pad(String(row.calls), to: 6, alignRight: true)
            let err = DisplayWidth.pad(String(Int((row.errorRate * 100).rounded())) + "%", to: 6, alignRight: true)
            let p50 = DisplayWidth.pad(row.p50LatencyMs.map { UIState.ms($0) } ?? "–", to: 7, alignRight: true)
            var res = ""
            if showResources {
                let r = m.resources[row.name]
                res =
                    DisplayWidth.pad(r.map { bytes($0.residentBytes) } ?? "–", to: 7, alignRight: true)
                    + DisplayWidth.pad(r.map { seconds($0.cpuSeconds) } ?? "–", to: 7, alignRight: true)
            }
            x = g.put(calls + err + p50 + res + "  ", row: y, col: x, style: .normal, limit: inner.maxX)
            guard let e = shownError(of: row) else { continue }
            if errorsBelow {
                y += 1
                let text = "  └ " + DisplayWidth.truncate(e, to: max(1, inner.width - 4))
                g.put(text, row: y, col: inner.x, style: .error, limit: inner.maxX)
            } else {
                g.put(
                    DisplayWidth.truncate(e, to: max(1, inner.maxX - x)), row: y, col: x, style: .error,
                    limit: inner.maxX)
            }
        }
    }

    /// A row's last error as the matrix shows it: its first line, without the "module NAME: " its row already
    /// says; none for a disabled module whose reason is only that (its ○ says so).
    static func shownError(of row: StatusSnapshot.ModuleRow) -> String? {
        guard let error = row.lastError, !(row.health == .disabled && error == "disabled") else { return nil }
        let first = error.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        let prefix = "module \(row.name): "
        return first.hasPrefix(prefix) ? String(first.dropFirst(prefix.count)) : first
    }

    /// `812K`, `41M`, `1.2G`.
    static func bytes(_ n: Int) -> String {
        if n >= 1 << 30 { return "\(Double(n / (1 << 20) * 10 / 1024) / 10)G" }
        if n >= 1 << 20 { return "\(n >> 20)M" }
        return "\(n >> 10)K"
    }

    /// `0.4s`, `12s`, `3m`, `2h`: CPU time used so far.
    static func seconds(_ s: Double) -> String {
        if s < 10 { return "\(Double(Int(s * 10)) / 10)s" }
        if s < 600 { return "\(Int(s))s" }
        if s < 36_000 { return "\(Int(s / 60))m" }
        return "\(Int(s / 3600))h"
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
