import NexusCore

/// One measurement of a subsystem suite (LLM, modules), as `nexus bench` prints it and before it becomes a
/// `BenchRow`: the headline figure in `value` (p50 or p99 for a latency, the figure itself for a throughput
/// or a ratio), the percentiles when there are samples, the target and its verdict.
public struct BenchResult: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// The headline number (p50 or p99 for latencies, the figure itself otherwise).
    public var value: Double
    public var unit: String
    public var p50: Double?
    public var p99: Double?
    /// The target from the brief, e.g. "p50 <= 2 ms" or ">= 50 MB/s".
    public var target: String
    public var passed: Bool
    public var note: String?

    public init(
        name: String, value: Double, unit: String, p50: Double? = nil, p99: Double? = nil, target: String, passed: Bool,
        note: String? = nil
    ) {
        self.name = name
        self.value = value
        self.unit = unit
        self.p50 = p50
        self.p99 = p99
        self.target = target
        self.passed = passed
        self.note = note
    }

    /// `name: value unit, p50 … (or p99 …) (target …) ok — note`; a percentile equal to the headline is not
    /// repeated.
    public var description: String {
        var pct = ""
        if let p50, p50 != value { pct += ", p50 \(Self.r(p50)) \(unit)" }
        if let p99, p99 != value { pct += ", p99 \(Self.r(p99)) \(unit)" }
        let noteText = note.map { " — \($0)" } ?? ""
        return "\(name): \(Self.r(value)) \(unit)\(pct) (target \(target)) \(passed ? "ok" : "MISSED")\(noteText)"
    }

    /// The table row: a latency (ms) shows its p50 and p99, any other unit its headline figure alone.
    func row(prefix: String) -> BenchRow {
        let latency = unit == "ms"
        return BenchRow(
            name: prefix + name, p50: latency ? (p50 ?? value) : value, p99: latency ? (p99 ?? .nan) : .nan,
            unit: unit, target: target, passed: passed, note: note ?? "")
    }

    /// Three decimals.
    static func r(_ v: Double) -> String { "\((v * 1000).rounded() / 1000)" }

    /// Nearest-rank percentile; NaN (shown as a miss) for no samples.
    static func percentile(_ xs: [Double], _ p: Double) -> Double { xs.isEmpty ? .nan : Stats(xs).percentile(p) }
}
