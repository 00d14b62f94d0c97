import NexusCore
import NexusModules
import NexusOrchestrator
import NexusPOSIX
import NexusStore
import NexusTelemetry

/// `nexus bench turn`'s tracing rows: what tracing costs a turn (issue 16: ≤ 0.05 ms p50), measured on the
/// same orchestrator with an instant model, in alternating blocks with tracing off and on (a `Tracer` on
/// the bus exporting to a loopback collector through the composition root's HTTP client), so load on the
/// machine falls on both sides alike. With `metrics`, the "on" blocks also run the metrics recorder on the
/// bus (issue 16's "metrics and tracing overhead per turn … against the same build with both off").
enum TracingOverheadBenchmark {
    static let target = "on − off ≤ 0.05 ms p50"

    static func run(turns: Int, transport: (any SpanTransport)?, metrics: Bool = false) async -> [BenchRow] {
        let name = metrics ? "turn.metrics_and_tracing_overhead" : "turn.tracing_overhead"
        let recorder = EventMetricsRecorder()
        guard let transport else { return [.couldNotRun(name, target: target, reason: "no HTTP transport")] }
        guard let sink = OTLPSink() else {
            return [.couldNotRun(name, target: target, reason: "no loopback port for the collector")]
        }
        defer { sink.stop() }
        let home = "/tmp/nexus-bench-trace-\(UInt64.random(in: 0...UInt64.max))-\(MonotonicClock.nanoseconds())"
        defer { ModuleFiles.removeTree(home) }
        let context: NexusContext
        let orchestrator: Orchestrator
        do {
            try FileSystem.ensureDirectory(home, mode: 0o700)
            let paths = NexusPaths(home: home, configFile: home + "/nexus.toml", configIsExplicit: false)
            let loaded = try ConfigLoader.load(text: TurnBenchmark.config, file: paths.configFile, environment: [:])
            context = NexusContext(
                paths: paths, config: loaded.config, warnings: loaded.warnings,
                database: try Database(path: paths.database), bus: EventBus(), environment: [:])
            orchestrator = try Orchestrator(
                context: context, gateway: InstantGateway(bus: context.bus), toolSources: [BuiltinTools()],
                interaction: DenyingInteraction())
        } catch {
            return [.couldNotRun(name, target: target, reason: error.userFacingDescription)]
        }
        let face = context.bus.subscribe(.dropOldest(capacity: 4096))
        let consumer = Task.detached { for await _ in face.events {} }
        var off: [Double] = []
        var on: [Double] = []
        var exported = 0
        var dropped = 0
        let block = 25
        let rounds = max(4, turns / (2 * block))
        for _ in 0..<20 { _ = await orchestrator.submit("hello") }  // warm-up
        for round in 0..<rounds {
            // Alternate which side goes first, so a slow stretch of the machine is not always one side's.
            for tracing in round % 2 == 0 ? [false, true] : [true, false] {
                _ = await orchestrator.submit("/clear")
                var tracer: Tracer?
                var recording: (EventSubscription, Task<Void, Never>)?
                if tracing && metrics {
                    let sub = context.bus.subscribe(.lossless)
                    recording = (sub, Task.detached { await recorder.consume(sub) })
                }
                if tracing {
                    let exporter = OTLPExporter(
                        endpoint: sink.endpoint, transport: transport,
                        encoder: OTLPJSONEncoder(serviceName: "nexus-bench", serviceVersion: "bench"), warn: { _ in })
                    tracer = Tracer(bus: context.bus, exporter: exporter)
                }
                for _ in 0..<block {
                    let t = MonotonicClock.nanoseconds()
                    _ = await orchestrator.submit("hello")
                    let ms = MonotonicClock.millisSince(t)
                    if tracing { on.append(ms) } else { off.append(ms) }
                }
                if let (sub, task) = recording {
                    sub.cancelSubscription()
                    await task.value
                }
                if let tracer {
                    await tracer.stop()
                    exported += await tracer.exporter.exported
                    dropped += await tracer.exporter.dropped
                }
            }
        }
        await orchestrator.shutdown()
        face.cancelSubscription()
        await consumer.value
        let a = Stats(off)
        let b = Stats(on)
        let delta = b.p50 - a.p50
        let collector = sink.received
        return [
            BenchRow(
                name: name, p50: delta, p99: b.p99 - a.p99, target: target, passed: BenchRow.atMost(delta, 0.05),
                note: (metrics ? "metrics recorder and tracing on vs both off: " : "")
                    + "p50 off \(BenchmarkFormat.ms(a.p50)) ms, on \(BenchmarkFormat.ms(b.p50)) ms "
                    + "(\(a.count) + \(b.count) turns in alternating blocks of \(block)); \(exported) spans exported "
                    + "in \(collector.requests) requests (\(collector.bytes / 1024) KB), \(dropped) dropped"),
            BenchRow(
                name: metrics ? "turn.submit_hello_metrics_and_tracing_on" : "turn.submit_hello_tracing_on",
                p50: b.p50, p99: b.p99,
                note: metrics
                    ? "the same turns with the metrics recorder and tracing on" : "the same turns with tracing on"),
        ]
    }
}
