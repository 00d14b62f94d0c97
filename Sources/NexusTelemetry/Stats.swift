/// Percentiles over a set of samples, for benchmarks and the module health matrix.
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

/// One line of a benchmark table.
public struct BenchResult: Sendable, Equatable {
    public var name: String
    public var p50: Double
    public var p99: Double
    public var unit: String
    public var target: String
    public var note: String

    public init(name: String, p50: Double, p99: Double, unit: String = "ms", target: String = "", note: String = "") {
        self.name = name
        self.p50 = p50
        self.p99 = p99
        self.unit = unit
        self.target = target
        self.note = note
    }
}
