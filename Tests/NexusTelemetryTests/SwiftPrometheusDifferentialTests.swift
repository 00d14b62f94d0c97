import CoreMetrics
import NexusTelemetry
import Prometheus
import Testing

/// The store's page against swift-prometheus's for the same swift-metrics calls: the same samples.
struct SwiftPrometheusDifferentialTests {
    @Test func theStoreAndSwiftPrometheusExposeTheSameSamplesForTheSameCalls() throws {
        let registry = PrometheusCollectorRegistry()
        var prom = PrometheusMetricsFactory(registry: registry)
        let buckets: [String: [Double]] = ["lat_seconds": [0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10, 30]]
        prom.valueHistogramBuckets = buckets
        let store = SeriesStore()
        let ours = StoreMetricsFactory(store: store, buckets: buckets)
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        for _ in 0..<20_000 {
            let m = "m\(next(200))"
            let op = next(5)
            let amount = next(1000)
            let x = Double(next(100_000)) / 977
            for f in [prom as any MetricsFactory, ours] {
                switch op {
                case 0:
                    Counter(
                        label: "calls_total",
                        dimensions: [("module", m), ("outcome", amount % 3 == 0 ? "error" : "ok")], factory: f
                    ).increment(by: amount)
                case 1:
                    FloatingPointCounter(label: "cost_total", dimensions: [("module", m)], factory: f).increment(by: x)
                case 2: Meter(label: "health", dimensions: [("module", m)], factory: f).set(Double(amount % 4))
                case 3: Recorder(label: "lat_seconds", dimensions: [("module", m)], factory: f).record(x / 100)
                default: Meter(label: "rss_bytes", dimensions: [("module", m)], factory: f).set(x * 1_048_576)
                }
            }
        }
        let theirs = try ExpositionPage(registry.emitToBuffer())
        let mine = try ExpositionPage(store.renderBytes())
        let a = MetricsExpositionTests.normalized(theirs.samples)
        let b = MetricsExpositionTests.normalized(mine.samples)
        #expect(a.count > 3000)
        #expect(a.count == b.count)
        let differ = a.filter { b[$0.key] != $0.value }.map {
            "\($0.key): swift-prometheus \($0.value), store \(b[$0.key] ?? .nan)"
        }
        #expect(differ.isEmpty, "\(differ.count) differ: \(differ.prefix(5))")
        #expect(theirs.types == mine.types)
    }
}
