import NexusCore
import NexusLLM
import NexusModules
import NexusOrchestrator
import NexusTelemetry

/// Starts tracing when `[telemetry] otlp_endpoint` is set: the tracer subscribes to the session's bus and
/// exports over OTLP/HTTP with NexusLLM's HTTP client (NexusTelemetry has no HTTP stack and never imports
/// CCurl). Off by default: with no endpoint nothing is subscribed and a turn pays nothing.
enum TelemetryWiring {
    static func startTracing(_ context: NexusContext, redact: @escaping @Sendable (String) -> String) -> Tracer? {
        let config = context.config.telemetry
        guard let endpoint = config.otlpEndpoint else { return nil }
        var options = OTLPExporter.Options()
        options.timeoutSeconds = config.timeoutSeconds
        let bus = context.bus
        let exporter = OTLPExporter(
            endpoint: endpoint, transport: CurlSpanTransport(),
            encoder: OTLPJSONEncoder(serviceName: config.serviceName, serviceVersion: NexusCommand.version),
            options: options,
            warn: { message in
                // While the session runs the faces show it; once the bus has ended (exit), stderr does.
                if bus.subscriberCount > 1 {
                    bus.publish(turn: 0, .notice(message))
                } else {
                    Terminal.warn(message)
                }
            })
        return Tracer(
            bus: bus, exporter: exporter, redact: redact,
            providerNames: GenAIProviderName.table(context.config.providers))
    }

    /// The session's telemetry once the module host exists: the tracer (if any) and the resource sampler.
    static func started(tracer: Tracer?, host: ModuleHost, bus: EventBus) -> SessionTelemetry {
        let sampler = ModuleResourceSampler(host: host, bus: bus)
        sampler.start()
        return SessionTelemetry(tracer: tracer, sampler: sampler)
    }
}

/// What a session runs for observability, stopped with it: the sampler first (no more readings), then
/// the tracer, which sends what the ended bus left it.
struct SessionTelemetry: Sendable {
    let tracer: Tracer?
    let sampler: ModuleResourceSampler

    func shutdown() async {
        sampler.stop()
        await tracer?.shutdown()
    }
}

/// One OTLP request over libcurl: POST, JSON, the configured timeout for connecting and for silence.
struct CurlSpanTransport: SpanTransport {
    let client = HTTPClient()

    func post(url: String, body: [UInt8], timeoutSeconds: Double) async throws -> Int {
        let request = HTTPRequest(
            method: .post, url: url, headers: [("Content-Type", "application/json")], body: body,
            connectTimeout: timeoutSeconds, readTimeout: timeoutSeconds, label: "otlp")
        let (head, _) = try await client.fetch(request, limit: 64 << 10)
        return head.status
    }
}
