import NexusCore

/// One module benchmark measurement, as `nexus bench` prints it (same shape as the other subsystems').
public struct ModuleBenchResult: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// The headline number (p50 for latencies).
    public var value: Double
    public var unit: String
    public var p50: Double?
    public var p99: Double?
    /// The target from the brief, e.g. "p50 <= 2 ms".
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

    public var description: String {
        let p99Text = p99.map { ", p99 \(Self.r($0)) \(unit)" } ?? ""
        let noteText = note.map { " — \($0)" } ?? ""
        return "\(name): \(Self.r(value)) \(unit)\(p99Text) (target \(target)) \(passed ? "ok" : "MISSED")\(noteText)"
    }

    static func r(_ v: Double) -> String { "\((v * 1000).rounded() / 1000)" }

    /// Nearest-rank percentile; NaN (shown as a miss) for no samples.
    static func percentile(_ xs: [Double], _ p: Double) -> Double { xs.isEmpty ? .nan : Stats(xs).percentile(p) }
}
