import NexusCore
import NexusLLM
import NexusTesting
import Synchronization
import Testing

@testable import NexusTelemetry

/// The exporter against a real OTLP/HTTP receiver over loopback that decodes what it gets
/// (testdata/otlp/otlp_receiver.py; with opentelemetry-proto installed, protobuf's own parser too).
@Suite(.serialized) struct OTLPExportTests {
    /// NexusLLM's HTTP client, as the composition root injects it.
    struct Transport: SpanTransport {
        func post(url: String, body: [UInt8], timeoutSeconds: Double) async throws -> Int {
            let request = HTTPRequest(
                method: .post, url: url, headers: [("Content-Type", "application/json")], body: body,
                connectTimeout: timeoutSeconds, readTimeout: timeoutSeconds, label: "otlp")
            return try await HTTPClient().fetch(request).0.status
        }
    }

    final class Warnings: Sendable {
        let list = Mutex<[String]>([])
        func add(_ s: String) { list.withLock { $0.append(s) } }
        var all: [String] { list.withLock { $0 } }
    }

    func exporter(_ endpoint: String, timeout: Double = 3, warnings: Warnings) -> OTLPExporter {
        var options = OTLPExporter.Options()
        options.timeoutSeconds = timeout
        options.batchSize = 4
        return OTLPExporter(
            endpoint: endpoint, transport: Transport(),
            encoder: OTLPJSONEncoder(serviceName: "nexus-test", serviceVersion: "0.1.0"), options: options,
            warn: { warnings.add($0) })
    }

    @Test func aTurnArrivesAtTheCollectorAsOneTraceWithItsStructureAndAttributes() async throws {
        let receiver = try OTLPReceiver()
        defer { receiver.stop() }
        let bus = EventBus()
        let warnings = Warnings()
        let identity = TraceIdentity()
        let tracer = Tracer(bus: bus, exporter: exporter(receiver.endpoint, warnings: warnings), identity: identity)
        for e in SpanBuilderTests.turnEvents(turn: 3) { bus.publish(Event(turnID: e.turnID, kind: e.kind)) }
        bus.finish()
        await tracer.shutdown()

        let requests = receiver.requests()
        #expect(!requests.isEmpty)
        #expect(requests.allSatisfy { $0.ok }, "\(requests.compactMap(\.error))")
        #expect(requests.first?.resource?["service.name"]?.stringValue == "nexus-test")
        let spans = receiver.spans()
        #expect(spans.count == 7)  // root, input, executor, 2 chat, execute_tool, tools/call
        let trace = identity.traceID(turn: 3).hex
        #expect(spans.allSatisfy { $0.traceID == trace })
        let root = try #require(spans.first { $0.parentSpanID.isEmpty })
        #expect(root.name == "invoke_agent nexus" && root.int("nexus.turn") == 3)
        let executor = try #require(spans.first { $0.name == "executor" })
        #expect(executor.parentSpanID == root.spanID)
        let chat = try #require(spans.first { $0.name == "chat claude-haiku-4-5" })
        #expect(chat.parentSpanID == executor.spanID && chat.kind == 3)
        #expect(chat.string("gen_ai.operation.name") == "chat")
        #expect(chat.string("gen_ai.provider.name") == "anthropic")
        #expect(chat.string("gen_ai.request.model") == "claude-haiku-4-5")
        #expect(chat.int("gen_ai.usage.input_tokens") == 120 && chat.int("gen_ai.usage.output_tokens") == 30)
        #expect(chat.attributes["nexus.cost_usd"]?.doubleValue == 0.00027)
        let tool = try #require(spans.first { $0.name == "execute_tool time__get_current_time" })
        #expect(tool.parentSpanID == executor.spanID)
        #expect(tool.events.first?["name"]?.stringValue == "module.state")
        let mcp = try #require(spans.first { $0.name == "tools/call get_current_time" })
        #expect(mcp.parentSpanID == tool.spanID)
        #expect(mcp.string("mcp.method.name") == "tools/call" && mcp.string("network.transport") == "pipe")
        #expect("00-\(trace)-\(mcp.spanID)-01" == identity.traceparent(turn: 3, callID: "call_1"))
        #expect(await tracer.exporter.dropped == 0)
        #expect(warnings.all.isEmpty)
    }

    @Test func anUnreachableCollectorDropsSpansWithOneWarningAndNeverBlocksPublishing() async throws {
        // A port that was just free: nothing listens there.
        let probe = try OTLPReceiver()
        let endpoint = probe.endpoint
        probe.stop()
        let bus = EventBus()
        let warnings = Warnings()
        let tracer = Tracer(bus: bus, exporter: exporter(endpoint, timeout: 1, warnings: warnings))
        let start = MonotonicClock.nanoseconds()
        for turn in 1...20 {
            for e in SpanBuilderTests.turnEvents(turn: turn) { bus.publish(Event(turnID: turn, kind: e.kind)) }
        }
        let publishMs = MonotonicClock.millisSince(start)
        #expect(publishMs < 50, "publishing 240 events took \(publishMs) ms")
        bus.finish()
        await tracer.shutdown()
        #expect(await tracer.exporter.dropped == 20 * 7)
        #expect(await tracer.exporter.exported == 0)
        #expect(warnings.all.count == 1)
        #expect(warnings.all.first?.contains("could not export to \(endpoint)/v1/traces") == true)
    }

    @Test func aSlowCollectorCostsTheExporterItsTimeoutNotTheTurn() async throws {
        let receiver = try OTLPReceiver(delaySeconds: 5)
        defer { receiver.stop() }
        let bus = EventBus()
        let warnings = Warnings()
        let tracer = Tracer(bus: bus, exporter: exporter(receiver.endpoint, timeout: 0.5, warnings: warnings))
        for e in SpanBuilderTests.turnEvents(turn: 1) { bus.publish(Event(turnID: 1, kind: e.kind)) }
        bus.finish()
        let start = MonotonicClock.nanoseconds()
        await tracer.shutdown()
        let shutdownMs = MonotonicClock.millisSince(start)
        #expect(shutdownMs < 4_000, "shutdown waited \(shutdownMs) ms for a collector that answers after 5 s")
        #expect(await tracer.exporter.exported == 0)
        #expect(warnings.all.count == 1)
    }

    @Test func aCollectorThatRefusesIsReportedWithItsStatus() async throws {
        let receiver = try OTLPReceiver(status: 503)
        defer { receiver.stop() }
        let warnings = Warnings()
        let exporter = exporter(receiver.endpoint, warnings: warnings)
        await exporter.enqueue(SpanBuilderTests.build(SpanBuilderTests.turnEvents()))
        await exporter.shutdown()
        #expect(warnings.all.count == 1)
        #expect(warnings.all.first?.contains("HTTP 503") == true)
    }

    @Test func tracesURLAppendsThePathOnce() {
        #expect(OTLPExporter.tracesURL("http://127.0.0.1:4318") == "http://127.0.0.1:4318/v1/traces")
        #expect(OTLPExporter.tracesURL("http://c:4318/") == "http://c:4318/v1/traces")
        #expect(OTLPExporter.tracesURL("http://c:4318/v1/traces") == "http://c:4318/v1/traces")
    }
}
