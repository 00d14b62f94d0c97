import CoreMetrics
import Prometheus
import Synchronization

/// The process's metrics: swift-metrics handles over one Prometheus registry, rendered as the text exposition.
///
/// It exists so the rest of nexus speaks the swift-metrics API (`Counter`, `Meter`, `Recorder`) while
/// `/metrics` comes from swift-prometheus, without bootstrapping the process-global `MetricsSystem` (tests and
/// benchmarks make as many as they like). Handles are made once per series and label values and kept.
public final class NexusMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let handles = Mutex<[String: Handle]>([:])
    /// Bumped by every change; a page rendered at the same value is served again without rendering.
    private let changes = Atomic<UInt64>(0)
    private let cached = Mutex<(changes: UInt64, page: [UInt8])?>(nil)

    private enum Handle: @unchecked Sendable {
        // swift-metrics' handle classes are thread-safe (their handlers are); they are not marked Sendable.
        case counter(CoreMetrics.Counter)
        case floatCounter(CoreMetrics.FloatingPointCounter)
        case meter(CoreMetrics.Meter)
        case recorder(CoreMetrics.Recorder)
    }

    public init() {
        registry = PrometheusCollectorRegistry()
        var f = PrometheusMetricsFactory(registry: registry)
        f.valueHistogramBuckets = MetricSeries.buckets
        factory = f
    }

    /// The Prometheus text exposition (format 0.0.4) of every series so far.
    public func render() -> String { registry.emitToString() }

    /// The exposition as bytes, for the HTTP body. Scrapes between two changes get the page already made.
    public func renderBytes() -> [UInt8] {
        let now = changes.load(ordering: .acquiring)
        if let page = cached.withLock({ $0?.changes == now ? $0?.page : nil }) { return page }
        let page = registry.emitToBuffer()
        cached.withLock { $0 = (now, page) }
        return page
    }

    /// Adds `amount` to the integer counter `name` with these labels.
    public func increment(_ name: String, _ labels: [(String, String)], by amount: Int = 1) {
        guard case .counter(let c) = handle(name, labels, { .counter(Counter(label: $0, dimensions: $1, factory: $2)) })
        else { return }
        c.increment(by: amount)
        changes.add(1, ordering: .releasing)
    }

    /// Adds `amount` (≥ 0) to the floating-point counter `name` (dollars, seconds).
    public func add(_ name: String, _ labels: [(String, String)], _ amount: Double) {
        guard amount > 0, amount.isFinite else { return }
        guard
            case .floatCounter(let c) = handle(
                name, labels, { .floatCounter(FloatingPointCounter(label: $0, dimensions: $1, factory: $2)) })
        else { return }
        c.increment(by: amount)
        changes.add(1, ordering: .releasing)
    }

    /// Sets the gauge `name`.
    public func set(_ name: String, _ labels: [(String, String)], _ value: Double) {
        guard value.isFinite else { return }
        guard case .meter(let m) = handle(name, labels, { .meter(Meter(label: $0, dimensions: $1, factory: $2)) })
        else { return }
        m.set(value)
        changes.add(1, ordering: .releasing)
    }

    /// Records one observation of the histogram `name` (its buckets are in `MetricSeries.buckets`).
    public func observe(_ name: String, _ labels: [(String, String)], _ value: Double) {
        guard value.isFinite, value >= 0 else { return }
        guard
            case .recorder(let r) = handle(
                name, labels, { .recorder(Recorder(label: $0, dimensions: $1, aggregate: true, factory: $2)) })
        else { return }
        r.record(value)
        changes.add(1, ordering: .releasing)
    }

    private func handle(
        _ name: String, _ labels: [(String, String)],
        _ make: (String, [(String, String)], PrometheusMetricsFactory) -> Handle
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
