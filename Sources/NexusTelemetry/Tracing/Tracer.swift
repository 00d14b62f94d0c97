import NexusCore

/// The tracing subscriber: reads the event bus losslessly, builds spans (`SpanBuilder`) and hands each
/// finished batch to the exporter. Off unless `[telemetry] otlp_endpoint` is set (the composition root,
/// `TelemetryWiring`, starts it).
///
/// It exists so tracing costs a turn one more buffered `publish` per event and nothing else: spans are
/// built on this subscriber's own task and exported on the exporter's, never on the turn's.
public final class Tracer: Sendable {
    public let identity: TraceIdentity
    public let exporter: OTLPExporter
    let task: Task<Void, Never>
    let subscription: EventSubscription

    /// Subscribes to `bus` now (so no event published after this returns is missed) and starts exporting.
    public init(bus: EventBus, exporter: OTLPExporter, identity: TraceIdentity = TraceIdentity()) {
        self.identity = identity
        self.exporter = exporter
        let subscription = bus.subscribe(.lossless)
        self.subscription = subscription
        task = Task {
            await exporter.start()
            var builder = SpanBuilder(identity: identity)
            for await event in subscription.events {
                let spans = builder.consume(event)
                if !spans.isEmpty { await exporter.enqueue(spans) }
            }
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
