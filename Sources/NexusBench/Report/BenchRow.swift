/// One line of a `nexus bench` table: every subsystem's result, whatever its own shape, becomes one of
/// these so all suites print and record alike (name, p50, p99, unit, target, pass/fail, note).
public struct BenchRow: Sendable, Equatable {
    public var name: String
    public var p50: Double
    public var p99: Double
    public var unit: String
    public var target: String
    /// nil when there is no target (a baseline or a figure shown for comparison).
    public var passed: Bool?
    public var note: String

    public init(
        name: String, p50: Double, p99: Double, unit: String = "ms", target: String = "", passed: Bool? = nil,
        note: String = ""
    ) {
        self.name = name
        self.p50 = p50
        self.p99 = p99
        self.unit = unit
        self.target = target
        self.passed = passed
        self.note = note
    }

    /// A row that says why a suite or a measurement could not run.
    public static func couldNotRun(_ name: String, target: String = "", reason: String) -> BenchRow {
        BenchRow(
            name: name, p50: .nan, p99: .nan, unit: "", target: target, passed: false, note: "could not run: \(reason)")
    }

    /// Pass when `value` is finite and at most `limit`.
    public static func atMost(_ value: Double, _ limit: Double) -> Bool { value.isFinite && value <= limit }
    /// Pass when `value` is finite and at least `limit`.
    public static func atLeast(_ value: Double, _ limit: Double) -> Bool { value.isFinite && value >= limit }
}

/// Renders a suite's rows as the Markdown table BENCHMARKS.md keeps, headed by the command, the machine,
/// the date and the load average at the time (the machine is shared; load explains outliers).
public enum BenchTable {
    public static func markdown(
        title: String, command: String, machine: String, date: String, load: String, rows: [BenchRow]
    )
        -> String
    {
        var s = "### \(title)\n\n`\(command)` — \(machine) — \(date) — load average \(load)\n\n"
        s += "| benchmark | p50 | p99 | unit | target | result | note |\n|---|---:|---:|---|---|---|---|\n"
        for r in rows {
            let verdict = r.passed.map { $0 ? "pass" : "**MISS**" } ?? "—"
            s +=
                "| \(r.name) | \(fmt(r.p50)) | \(fmt(r.p99)) | \(r.unit) | \(r.target) | \(verdict) | \(escape(r.note)) |\n"
        }
        return s
    }

    /// Integers from 100 up, two decimals from 0.1, four below (sub-microsecond figures stay visible).
    public static func fmt(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        if abs(v) >= 100 { return String(Int(v.rounded())) }
        if abs(v) >= 0.1 { return "\((v * 100).rounded() / 100)" }
        return "\((v * 10_000).rounded() / 10_000)"
    }

    public static func escape(_ s: String) -> String {
        String(s.map { $0 == "|" ? "/" : ($0 == "\n" ? " " : $0) })
    }
}
