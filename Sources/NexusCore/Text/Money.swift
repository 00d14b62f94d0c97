/// US dollars for people, to a fixed number of decimals: one formatter for `/cost`, the TUI's cost pane
/// and price quotes. Never traps: costs are products of server-reported token counts and configured
/// prices, so a hostile usage report must not become an integer overflow.
public enum Money {
    /// `$1.50`, `$0.0021`; `$?` for NaN or infinity; plain `$1.2e+15` style beyond a trillion.
    public static func dollars(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return "$?" }
        guard abs(v) < 1e12 else { return "$\(v)" }
        let scale = (0..<max(0, decimals)).reduce(1) { r, _ in r * 10 }
        let units = Int((abs(v) * Double(scale)).rounded())
        let whole = units / scale
        var out = (v < 0 && units > 0 ? "-$" : "$") + String(whole)
        if decimals > 0 {
            let frac = String(units % scale)
            out += "." + String(repeating: "0", count: decimals - frac.count) + frac
        }
        return out
    }
}
