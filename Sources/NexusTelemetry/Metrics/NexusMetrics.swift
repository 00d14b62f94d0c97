import CoreMetrics
import Synchronization

/// The process's metrics: swift-metrics handles over one `SeriesStore`, rendered as the text exposition.
///
/// It exists so the rest of nexus speaks the swift-metrics API (`Counter`, `Meter`, `Recorder`) while
/// `/metrics` comes from a store whose page renders in well under a millisecond for 1,000 modules
/// (`StoreMetricsFactory` says why not swift-prometheus), without bootstrapping the process-global
/// `MetricsSystem` (tests and benchmarks make as many as they like). Handles are made once per series and
/// label values and kept.
public final class NexusMetrics: Sendable {
    public let store: SeriesStore
    private let factory: StoreMetricsFactory
    private let handles = Mutex<[String: Handle]>([:])

    private enum Handle: @unchecked Sendable {
        // swift-metrics' handle classes are thread-safe (their handlers are); they are not marked Sendable.
        case counter(CoreMetrics.Counter)
        case floatCounter(CoreMetrics.FloatingPointCounter)
        case meter(CoreMetrics.Meter)
        case recorder(CoreMetrics.Recorder)
    }

    public init() {
        store = SeriesStore()
        factory = StoreMetricsFactory(store: store, buckets: MetricSeries.buckets, help: MetricSeries.help)
    }

    /// The Prometheus text exposition (format 0.0.4) of every series so far.
    public func render() -> String { String(decoding: renderBytes(), as: UTF8.self) }

    /// The exposition as bytes, for the HTTP body. Scrapes between two changes get the page already made.
    public func renderBytes() -> [UInt8] { store.renderBytes() }

    /// Adds `amount` to the integer counter `name` with these labels.
    public func increment(_ name: String, _ labels: [(String, String)], by amount: Int = 1) {
        guard case .counter(let c) = handle(name, labels, { .counter(Counter(label: $0, dimensions: $1, factory: $2)) })
        else { return }
        c.increment(by: amount)
    }

    /// Adds `amount` (≥ 0) to the floating-point counter `name` (dollars, seconds).
    public func add(_ name: String, _ labels: [(String, String)], _ amount: Double) {
        guard amount > 0, amount.isFinite else { return }
        guard
            case .floatCounter(let c) = handle(
                name, labels, { .floatCounter(FloatingPointCounter(label: $0, dimensions: $1, factory: $2)) })
        else { return }
        c.increment(by: amount)
    }

    /// Sets the gauge `name`.
    public func set(_ name: String, _ labels: [(String, String)], _ value: Double) {
        guard value.isFinite else { return }
        guard case .meter(let m) = handle(name, labels, { .meter(Meter(label: $0, dimensions: $1, factory: $2)) })
        else { return }
        m.set(value)
    }

    /// Records one observation of the histogram `name` (its buckets are in `MetricSeries.buckets`).
    public func observe(_ name: String, _ labels: [(String, String)], _ value: Double) {
        guard value.isFinite, value >= 0 else { return }
        guard
            case .recorder(let r) = handle(
                name, labels, { .recorder(Recorder(label: $0, dimensions: $1, aggregate: true, factory: $2)) })
        else { return }
        r.record(value)
    }

    private func handle(
        _ name: String, _ labels: [(String, String)],
        _ make: (String, [(String, String)], StoreMetricsFactory) -> Handle
    ) -> Handle {
        var key = name
        for (_, v) in labels {
            key.append("\u{1}")
            key.append(v)
        }
        if let h = handles.withLock({ $0[key] }) { return h }
        let made = make(name, labels, factory)
        return handles.withLock { all in
            if let h = all[key] { return h }
            all[key] = made
            return made
        }
    }
}
