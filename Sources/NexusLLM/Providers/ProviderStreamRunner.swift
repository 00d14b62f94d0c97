import NexusCore

/// The part of a wire protocol that turns decoded stream payloads into `LLMStreamEvent`s.
///
/// Each provider has one; the shared `ProviderStreamRunner` does HTTP, framing, error classification and
/// the "was the answer complete?" check, so those rules are the same for all four protocols.
protocol WireStreamDecoder: Sendable {
    /// One framed payload: an SSE event (name + data) or an NDJSON line (name nil).
    mutating func decode(event: String?, payload: [UInt8], emit: (LLMStreamEvent) -> Void) throws
    /// True once the protocol's end-of-message marker was seen.
    var isComplete: Bool { get }
    /// Called when the body ended; emits anything held back (usage, finish) if the marker was seen.
    mutating func end(emit: (LLMStreamEvent) -> Void) throws
    /// A server that ignored `stream: true` and sent one JSON document: decode it whole.
    mutating func decodeComplete(payload: [UInt8], emit: (LLMStreamEvent) -> Void) throws
}

extension WireStreamDecoder {
    /// Protocols whose complete answer has the same shape as one stream event.
    mutating func decodeComplete(payload: [UInt8], emit: (LLMStreamEvent) -> Void) throws {
        try decode(event: nil, payload: payload, emit: emit)
    }
}

/// How a response body is framed.
enum StreamFraming: Sendable { case sse, ndjson }

/// Runs one streamed completion: send, classify errors, frame and decode the body, check completion.
enum ProviderStreamRunner {
    static func stream(
        endpoint: ProviderEndpoint, model: String, request: HTTPRequest, framing: StreamFraming,
        decoder: some WireStreamDecoder, listModels: @escaping @Sendable () async throws -> [String]
    ) -> AsyncThrowingStream<LLMStreamEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<LLMStreamEvent, any Error>.makeStream()
        let task = Task {
            do {
                try await run(
                    endpoint: endpoint, model: model, request: request, framing: framing, decoder: decoder,
                    listModels: listModels, continuation: continuation)
                continuation.finish()
            } catch let e as ProviderError {
                continuation.finish(throwing: Task.isCancelled ? ProviderError(.cancelled, provider: endpoint.name, message: "request cancelled") : e)
            } catch {
                continuation.finish(
                    throwing: ProviderError(.invalidResponse, provider: endpoint.name, message: String(describing: error)))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    static func run(
        endpoint: ProviderEndpoint, model: String, request: HTTPRequest, framing: StreamFraming,
        decoder initial: some WireStreamDecoder, listModels: @Sendable () async throws -> [String],
        continuation: AsyncThrowingStream<LLMStreamEvent, any Error>.Continuation
    ) async throws {
        try endpoint.requireKey()
        let response = try await endpoint.http.send(request)
        guard (200..<300).contains(response.status) else {
            let body = (try? await HTTPClient.collect(response.body, limit: 64 << 10)) ?? []
            throw await ProviderErrorClassifier.classify(
                status: response.status, head: response.head, body: body, endpoint: endpoint, model: model,
                listModels: listModels)
        }
        if let ct = response.head.header("content-type")?.lowercased(), ct.contains("text/html") {
            let body = (try? await HTTPClient.collect(response.body, limit: 64 << 10)) ?? []
            throw ProviderError(
                .invalidResponse, provider: endpoint.name,
                message: "\(endpoint.baseURL) answered with a web page instead of a \(framing == .sse ? "event stream" : "JSON stream"): \(ProviderErrorClassifier.summarize(body: body, contentType: ct))")
        }

        var decoder = initial
        var sse = SSEParser()
        var nd = NDJSONParser()
        var sawContent = false
        var events = 0
        let emit: (LLMStreamEvent) -> Void = { e in
            switch e {
            case .text(let t) where !t.isEmpty: sawContent = true
            case .toolCall: sawContent = true
            default: break
            }
            continuation.yield(e)
        }
        func feedDecoder(_ name: String?, _ payload: [UInt8]) throws {
            events += 1
            do {
                try decoder.decode(event: name, payload: payload, emit: emit)
            } catch let e as ProviderError {
                throw sawContent && e.kind != .cancelled ? incomplete(endpoint, e.message) : e
            }
        }
        let contentType = response.head.header("content-type")?.lowercased() ?? ""
        do {
            if framing == .sse && contentType.contains("application/json") {
                let whole = try await HTTPClient.collect(response.body, limit: 32 << 20)
                if Task.isCancelled { throw ProviderError(.cancelled, provider: endpoint.name, message: "request cancelled") }
                events += 1
                try decoder.decodeComplete(payload: whole, emit: emit)
            } else {
                for try await chunk in response.body {
                    switch framing {
                    case .sse: try sse.feed(chunk) { try feedDecoder($0.event, $0.data) }
                    case .ndjson: try nd.feed(chunk) { line, _ in try feedDecoder(nil, line) }
                    }
                }
            }
            if Task.isCancelled { throw ProviderError(.cancelled, provider: endpoint.name, message: "request cancelled") }
            switch framing {
            case .sse: try sse.finish { try feedDecoder($0.event, $0.data) }
            case .ndjson: try nd.finish { line, _ in try feedDecoder(nil, line) }
            }
        } catch let e as ProviderError where e.kind == .streamCut && !sawContent {
            throw ProviderError(.connection, provider: endpoint.name, message: e.message + " before any answer arrived")
        } catch let e as ProviderError where (e.kind == .timeout || e.kind == .streamCut || e.kind == .connection) && sawContent {
            throw incomplete(endpoint, e.message)
        } catch let e as StreamFramingError {
            throw ProviderError(.invalidResponse, provider: endpoint.name, message: "unreadable stream: \(e)")
        }
        guard decoder.isComplete else {
            if sawContent {
                throw incomplete(endpoint, "the stream ended before the end-of-answer marker")
            }
            throw ProviderError(
                .connection, provider: endpoint.name,
                message: "the connection closed before the answer finished (\(events) stream events, no text)")
        }
        var finished = false
        try decoder.end { e in
            if case .finish = e { finished = true; if !sawContent { return } }
            emit(e)
        }
        if !sawContent {
            throw ProviderError(
                .invalidResponse, provider: endpoint.name,
                message: "model '\(model)' returned an empty answer (no text and no tool call)")
        }
        if !finished { continuation.yield(.finish(reason: "stop")) }
    }

    static func incomplete(_ endpoint: ProviderEndpoint, _ why: String) -> ProviderError {
        ProviderError(
            .streamCut, provider: endpoint.name,
            message: "the answer is incomplete: \(why); what arrived so far was kept but is cut off")
    }
}
