/// Percentiles over a set of samples (nearest rank), for every benchmark and the module health matrix.
///
/// In core because it is arithmetic only, and each subsystem's benchmarks (LLM, modules, vault, sandbox,
/// TUI) and the TUI's health matrix need the same definition of p50 and p99.
public struct Stats: Sendable, Equatable {
    public let sorted: [Double]

    public init(_ samples: [Double]) { sorted = samples.sorted() }

    public var count: Int { sorted.count }
    public var p50: Double { percentile(0.50) }
    public var p99: Double { percentile(0.99) }
    public var min: Double { sorted.first ?? 0 }
    public var max: Double { sorted.last ?? 0 }
    public var mean: Double { sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count) }

    /// Nearest-rank percentile; 0 for no samples.
    public func percentile(_ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank))]
    }
}
