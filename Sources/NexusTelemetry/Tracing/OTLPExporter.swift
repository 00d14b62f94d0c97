import NexusCore

/// Sends one OTLP request body. The composition root gives NexusLLM's HTTP client (libcurl) here, so
/// NexusTelemetry needs no HTTP stack of its own and never imports CCurl.
public protocol SpanTransport: Sendable {
    /// POSTs `body` (`Content-Type: application/json`) to `url`; returns the HTTP status. Throws when
    /// nothing came back within `timeoutSeconds`.
    func post(url: String, body: [UInt8], timeoutSeconds: Double) async throws -> Int
}

/// Batches finished spans and exports them over OTLP/HTTP with the JSON encoding, in the background.
///
/// It exists so a slow or absent collector can never slow a turn: `enqueue` only appends to a bounded
/// queue (spans past `maxQueued` are dropped and counted); a background task sends a batch every
/// `interval` or when `batchSize` spans wait, one request at a time. A request that fails (no answer,
/// an error status) drops its batch; the first failure is reported once through `warn`, later ones
/// only counted.
public actor OTLPExporter {
    public struct Options: Sendable {
        public var batchSize = 256
        public var maxQueued = 4096
        public var intervalSeconds = 1.0
        public var timeoutSeconds = 3.0
        public init() {}
    }

    public nonisolated let url: String
    let transport: any SpanTransport
    let encoder: OTLPJSONEncoder
    let options: Options
    let warn: @Sendable (String) -> Void
    var queue: [Span] = []
    var sending = false
    var warned = false
    var loop: Task<Void, Never>?
    /// Spans that never reached the collector: queue overflow or failed requests.
    public private(set) var dropped = 0
    /// Spans the collector accepted.
    public private(set) var exported = 0

    /// `endpoint` is the collector's base URL (`http://127.0.0.1:4318`); spans go to `{endpoint}/v1/traces`.
    public init(
        endpoint: String, transport: any SpanTransport, encoder: OTLPJSONEncoder, options: Options = Options(),
        warn: @escaping @Sendable (String) -> Void
    ) {
        self.url = Self.tracesURL(endpoint)
        self.transport = transport
        self.encoder = encoder
        self.options = options
        self.warn = warn
    }

    /// `{endpoint}/v1/traces`, unless the endpoint already names that path.
    public static func tracesURL(_ endpoint: String) -> String {
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix("/v1/traces") ? base : base + "/v1/traces"
    }

    /// Starts the background sender.
    public func start() {
        guard loop == nil else { return }
        let interval = options.intervalSeconds
        loop = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                guard let self else { return }
                await self.sendPending()
            }
        }
    }

    /// Adds spans to the queue; never waits for the network.
    public func enqueue(_ spans: [Span]) {
        guard !spans.isEmpty else { return }
        let room = max(0, options.maxQueued - queue.count)
        if spans.count > room { dropped += spans.count - room }
        queue.append(contentsOf: spans.prefix(room))
        if queue.count >= options.batchSize && !sending {
            Task { await self.sendPending() }
        }
    }

    /// Sends everything queued, batch by batch (a request already under way finishes first).
    public func sendPending() async {
        guard !sending else { return }
        sending = true
        defer { sending = false }
        while !queue.isEmpty {
            let batch = Array(queue.prefix(options.batchSize))
            queue.removeFirst(batch.count)
            await send(batch)
        }
    }

    /// Stops the background sender and sends what is left, giving up after the request timeout.
    public func shutdown() async {
        loop?.cancel()
        loop = nil
        while sending { try? await Task.sleep(for: .milliseconds(5)) }
        await sendPending()
    }

    func send(_ batch: [Span]) async {
        let body = encoder.encode(batch)
        do {
            let status = try await transport.post(url: url, body: body, timeoutSeconds: options.timeoutSeconds)
            if (200..<300).contains(status) {
                exported += batch.count
                return
            }
            fail(batch.count, "the collector answered HTTP \(status)")
        } catch {
            fail(batch.count, (error as? any UserFacingError)?.userMessage ?? "\(error)")
        }
    }

    func fail(_ count: Int, _ reason: String) {
        dropped += count
        guard !warned else { return }
        warned = true
        warn(
            "traces: could not export to \(url) (\(reason)); spans are dropped while it does not answer"
                + " — check [telemetry] otlp_endpoint")
    }
}
