/// Renders benchmark results as the Markdown tables BENCHMARKS.md keeps, with the command and machine.
public enum BenchmarkReport {
    public static func markdown(title: String, command: String, machine: String, results: [BenchResult]) -> String {
        var s = "### \(title)\n\n`\(command)` — \(machine)\n\n"
        s += "| benchmark | p50 | p99 | target | note |\n|---|---:|---:|---|---|\n"
        for r in results {
            s += "| \(r.name) | \(fmt(r.p50)) \(r.unit) | \(fmt(r.p99)) \(r.unit) | \(r.target) | \(r.note) |\n"
        }
        return s
    }

    public static func fmt(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        if v >= 100 { return String(Int(v.rounded())) }
        let scaled = (v * 100).rounded() / 100
        return "\(scaled)"
    }
}
