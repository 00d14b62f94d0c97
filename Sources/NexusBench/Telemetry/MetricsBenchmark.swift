import NexusCore
import NexusTelemetry

/// `nexus bench metrics` (issue 16): rendering `/metrics` for 1,000 modules (target ≤ 1 ms) and what the
/// metrics recorder adds to a turn, against the same build with it off (target ≤ 0.05 ms p50), alone and with
/// tracing (given the composition root's HTTP client for the exporter).
enum MetricsBenchmark {
    static func run(turns: Int, transport: (any SpanTransport)? = nil) async -> [BenchRow] {
        var rows = render(modules: 1000)
        rows += await turnOverhead(turns: turns)
        if let transport {
            rows += await TracingOverheadBenchmark.run(turns: turns, transport: transport, metrics: true)
        }
        return rows
    }

    /// A recorder that saw health, resources, calls, latencies and egress for `modules` modules.
    static func render(modules: Int) -> [BenchRow] {
        let recorder = EventMetricsRecorder()
        for i in 0..<modules {
            let m = "module_\(i)"
            let call = ToolCall(id: "c\(i)", name: m + ".t", arguments: .object(JSONObject()))
            for k: EventKind in [
                .moduleHealth(module: m, health: i % 7 == 0 ? .degraded : .healthy, reason: nil),
                .moduleResources(module: m, residentBytes: 20 << 20, cpuSeconds: Double(i) / 10),
                .toolCall(call, module: m),
                .toolResult(ToolResult(callID: "c\(i)", name: m + ".t", content: ""), latencyMs: 12),
                .egress(module: m, host: "h", verdict: "allowed"),
            ] {
                recorder.record(Event(turnID: 1, kind: k))
            }
        }
        var samples: [Double] = []
        var cachedSamples: [Double] = []
        var bytes = 0
        for i in 0..<220 {
            // A change first, so the page must be rendered again (what a scrape after activity pays).
            recorder.record(Event(turnID: 1, kind: .moduleHealth(module: "module_0", health: .healthy, reason: nil)))
            let t = MonotonicClock.nanoseconds()
            let page = recorder.metrics.renderBytes()
            let ms = MonotonicClock.millisSince(t)
            let t2 = MonotonicClock.nanoseconds()
            _ = recorder.metrics.renderBytes()
            let cachedMs = MonotonicClock.millisSince(t2)
            bytes = page.count
            if i >= 20 {
                samples.append(ms)
                cachedSamples.append(cachedMs)
            }
        }
        let s = Stats(samples)
        let c = Stats(cachedSamples)
        return [
            BenchRow(
                name: "metrics.render_1000_modules", p50: s.p50, p99: s.p99, target: "p50 ≤ 1 ms",
                passed: BenchRow.atMost(s.p50, 1),
                note: "\(modules) modules × (health, RSS, CPU, calls, call-duration histogram, egress), "
                    + "rendered after a change: \(bytes / 1024) KB"),
            BenchRow(
                name: "metrics.render_1000_modules_unchanged", p50: c.p50, p99: c.p99,
                note: "a second scrape with nothing new: the page already rendered"),
        ]
    }

    /// `turn.submit_hello` p50 with the recorder subscribed minus without, in alternating batches.
    static func turnOverhead(turns: Int) async -> [BenchRow] {
        var off: [Double] = []
        var on: [Double] = []
        for round in 0..<8 {
            let withMetrics = round % 2 == 1
            let rows = await TurnBenchmark.run(turns: turns, metrics: withMetrics)
            guard let p50 = rows.first(where: { $0.name == "turn.submit_hello" })?.p50 else { continue }
            if withMetrics { on.append(p50) } else { off.append(p50) }
        }
        guard !off.isEmpty, !on.isEmpty else {
            return [.couldNotRun("turn.metrics_overhead", target: "≤ 0.05 ms p50", reason: "turn benchmark failed")]
        }
        let a = Stats(off).p50
        let b = Stats(on).p50
        let delta = b - a
        return [
            BenchRow(
                name: "turn.metrics_overhead", p50: delta, p99: delta, target: "≤ 0.05 ms p50",
                passed: BenchRow.atMost(delta, 0.05),
                note: "turn p50 with the recorder \(BenchmarkFormat.ms(b)) ms, without \(BenchmarkFormat.ms(a)) ms "
                    + "(median of \(on.count) and \(off.count) batches of \(turns) turns, alternating)")
        ]
    }
}
