import CoreMetrics

/// The swift-metrics backend over a `SeriesStore`: `Counter`, `FloatingPointCounter`, `Meter`, `Recorder` and
/// `Timer` handles made by it write into the store, whose page `/metrics` serves.
///
/// It replaces swift-prometheus (BENCHMARKS.md, "Issue 16: /metrics for 1,000 modules"): that one formats every
/// line through `String` (11.7 ms for 1,000 modules, against a 1 ms target) and keeps its values private, so
/// no faster renderer could read them. Hostile names never crash it, where swift-prometheus stops the process:
/// names and label names are made valid (`_` for any other byte), label values escaped, a counter's name ends
/// `_total`, a name already used by another kind of metric gives handles that do nothing, negative counter
/// increments are ignored. Made handles are never destroyed (their series stay on the page).
public struct StoreMetricsFactory: MetricsFactory {
    public let store: SeriesStore
    /// Histogram bounds by metric name; others get `defaultBuckets`.
    public let buckets: [String: [Double]]
    /// HELP text by metric name (the name as given, before `_total` is added).
    public let help: [String: String]
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init(store: SeriesStore, buckets: [String: [Double]] = [:], help: [String: String] = [:]) {
        self.store = store
        self.buckets = buckets
        self.help = help
    }

    private func slot(_ label: String, _ dimensions: [(String, String)], _ kind: SeriesStore.Kind) -> SeriesStore.Slot?
    {
        var name = ExpositionBytes.metricName(label)
        if kind == .counter, !name.hasSuffix("_total") { name += "_total" }
        var labels: [(String, String)] = []
        labels.reserveCapacity(dimensions.count)
        for (k, v) in dimensions {
            var key = ExpositionBytes.labelName(k)
            if kind == .histogram, key == "le" { key = "le_" }
            // A label twice would make an invalid line: the first one wins.
            guard !labels.contains(where: { $0.0 == key }) else { continue }
            labels.append((key, v))
        }
        let bounds = kind == .histogram ? Self.validBounds(buckets[label] ?? Self.defaultBuckets) : []
        return store.slot(name, labels, kind: kind, bounds: bounds, help: help[label])
    }

    /// Finite bounds, ascending, each once (`+Inf` is always added).
    static func validBounds(_ raw: [Double]) -> [Double] {
        var out: [Double] = []
        for b in raw.filter(\.isFinite).sorted() where out.last != b { out.append(b) }
        return out
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        StoreCounter(store, slot(label, dimensions, .counter))
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)])
        -> any FloatingPointCounterHandler
    {
        StoreCounter(store, slot(label, dimensions, .counter))
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        StoreGauge(store, slot(label, dimensions, .gauge))
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return StoreGauge(store, slot(label, dimensions, .gauge)) }
        return StoreHistogram(store, slot(label, dimensions, .histogram), nanoseconds: false)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        StoreHistogram(store, slot(label, dimensions, .histogram), nanoseconds: true)
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyMeter(_ handler: any MeterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}
}

/// A counter's handle: whole increments and fractional ones, kept apart so integers stay exact.
final class StoreCounter: CounterHandler, FloatingPointCounterHandler, Sendable {
    let store: SeriesStore
    let slot: Int?

    init(_ store: SeriesStore, _ slot: SeriesStore.Slot?) {
        self.store = store
        self.slot = slot?.index
    }

    func increment(by amount: Int64) {
        guard let slot, amount > 0 else { return }
        store.addInteger(slot, amount)
    }

    func increment(by amount: Double) {
        guard let slot, amount > 0, amount.isFinite else { return }
        store.addDouble(slot + 1, amount)
    }

    func reset() {
        guard let slot else { return }
        store.reset(slot, words: 2)
    }
}

/// A gauge's handle (a `Meter`, or a `Recorder` that does not aggregate).
final class StoreGauge: MeterHandler, RecorderHandler, Sendable {
    let store: SeriesStore
    let slot: Int?

    init(_ store: SeriesStore, _ slot: SeriesStore.Slot?) {
        self.store = store
        self.slot = slot?.index
    }

    func set(_ value: Int64) { set(Double(value)) }
    func set(_ value: Double) {
        guard let slot, !value.isNaN else { return }
        store.setDouble(slot, value)
    }
    func increment(by amount: Double) {
        guard let slot, amount.isFinite else { return }
        store.addDouble(slot, amount)
    }
    func decrement(by amount: Double) { increment(by: -amount) }
    func record(_ value: Int64) { set(Double(value)) }
    func record(_ value: Double) { set(value) }
}

/// A histogram's handle (an aggregating `Recorder`, or a `Timer` in seconds).
final class StoreHistogram: RecorderHandler, TimerHandler, Sendable {
    let store: SeriesStore
    let slot: Int?
    let bounds: [Double]
    let nanoseconds: Bool

    init(_ store: SeriesStore, _ slot: SeriesStore.Slot?, nanoseconds: Bool) {
        self.store = store
        self.slot = slot?.index
        self.bounds = slot?.bounds ?? []
        self.nanoseconds = nanoseconds
    }

    func record(_ value: Int64) { record(Double(value)) }
    func record(_ value: Double) {
        guard let slot, value.isFinite else { return }
        let v = nanoseconds ? value / 1e9 : value
        // The first bound at or above the value (bounds are few: a scan beats a search).
        var bucket = 0
        while bucket < bounds.count, v > bounds[bucket] { bucket += 1 }
        store.observe(slot, bucket: bucket, bounds: bounds.count, v)
    }
    func recordNanoseconds(_ duration: Int64) { record(Double(duration)) }
}
