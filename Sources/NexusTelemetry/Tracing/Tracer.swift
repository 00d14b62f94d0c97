import NexusCore

/// The tracing subscriber: reads the event bus losslessly, builds spans (`SpanBuilder`) and hands each
/// finished batch to the exporter. Off unless `[telemetry] otlp_endpoint` is set (the composition root,
/// `TelemetryWiring`, starts it).
///
/// It exists so tracing costs a turn one more buffered `publish` per event and nothing else: spans are
/// built on this subscriber's own task and exported on the exporter's, never on the turn's.
public final class Tracer: Sendable {
    /// How long the tracer lets events gather after handing over a turn's spans.
    static let pauseMs = 5
    public let identity: TraceIdentity
    public let exporter: OTLPExporter
    let task: Task<Void, Never>
    let subscription: EventSubscription

    /// Subscribes to `bus` now (so no event published after this returns is missed) and starts exporting.
    /// `redact` scrubs every text that goes into a span (the session's vault redactor).
    public init(
        bus: EventBus, exporter: OTLPExporter, identity: TraceIdentity = TraceIdentity(),
        redact: @escaping @Sendable (String) -> String = { $0 }, providerNames: [String: String] = [:]
    ) {
        self.identity = identity
        self.exporter = exporter
        let subscription = bus.subscribe(.lossless)
        self.subscription = subscription
        task = Task {
            await exporter.start()
            var builder = SpanBuilder(identity: identity, redact: redact, providerNames: providerNames)
            var finished: [Span] = []
            for await event in subscription.events {
                finished += builder.consume(event)
                // Hand spans over per turn, not per event; then let the next turn's events gather in the
                // buffer for a moment, so this task wakes once per burst instead of once per event (a wake-up
                // per event was most of what tracing cost a turn on a busy machine).
                var turnEnded = event.turnID == 0
                if case .turnFinished = event.kind { turnEnded = true }
                if !finished.isEmpty && (turnEnded || finished.count >= 256) {
                    await exporter.enqueue(finished)
                    finished.removeAll(keepingCapacity: true)
                    try? await Task.sleep(for: .milliseconds(Self.pauseMs))
                }
            }
            await exporter.enqueue(finished)
        }
    }

    /// Waits until the bus has finished (the session's shutdown ends it) and every span was handled, then
    /// sends what is queued; bounded by the exporter's request timeout.
    public func shutdown() async {
        await task.value
        await exporter.shutdown()
    }

    /// Stops following the bus now (events already delivered are still handled) and sends what is queued.
    public func stop() async {
        subscription.cancelSubscription()
        await shutdown()
    }
}
