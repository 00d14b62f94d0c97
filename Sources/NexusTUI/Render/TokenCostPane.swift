import NexusCore
import NexusOrchestrator

/// The tokens and cost pane: this session's and all-time totals, each split by provider and by task type;
/// `~` marks counts that were estimated because the server reported none.
enum TokenCostPane {
    static func draw(_ g: inout CellGrid, _ c: CostModel, _ r: Rect, focused: Bool) {
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

    /// `950`, `1.2k`, `45k`, `1.3M`.
    static func tokens(_ n: Int) -> String {
        if n >= 1_000_000 { return "\(Double(n / 100_000) / 10)M" }
        if n >= 10_000 { return "\(n / 1000)k" }
        if n >= 1000 { return "\(Double(n / 100) / 10)k" }
        return String(n)
    }

    static func dollars(_ v: Double) -> String { Money.dollars(v, decimals: 4) }
}
