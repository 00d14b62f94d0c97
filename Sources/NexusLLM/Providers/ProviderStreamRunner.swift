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
                continuation.finish(
                    throwing: Task.isCancelled
                        ? ProviderError(.cancelled, provider: endpoint.name, message: "request cancelled") : e)
            } catch {
                continuation.finish(
                    throwing: ProviderError(
                        .invalidResponse, provider: endpoint.name, message: String(describing: error)))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    static func run<D: WireStreamDecoder>(
        endpoint: ProviderEndpoint, model: String, request: HTTPRequest, framing: StreamFraming,
        decoder initial: D, listModels: @Sendable () async throws -> [String],
        continuation: AsyncThrowingStream<LLMStreamEvent, any Error>.Continuation
    ) async throws {
        try endpoint.requireKey()
        let sink = InlineStreamDecoder(
            decoder: initial, framing: framing, provider: endpoint.name, continuation: continuation)
        let response = try await endpoint.http.send(request, sink: sink)
        guard (200..<300).contains(response.status) else {
            // The body only adds detail to the error raised below.
            let body = (try? await HTTPClient.collect(response.body, limit: 64 << 10)) ?? []
            throw await ProviderErrorClassifier.classify(
                status: response.status, head: response.head, body: body, endpoint: endpoint, model: model,
                listModels: listModels)
        }
        let contentType = response.head.header("content-type")?.lowercased() ?? ""
        if contentType.contains("text/html") {
            // The body only adds detail to the error raised below.
            let body = (try? await HTTPClient.collect(response.body, limit: 64 << 10)) ?? []
            throw ProviderError(
                .invalidResponse, provider: endpoint.name,
                message:
                    "\(endpoint.baseURL) answered with a web page instead of \(framing == .sse ? "an event stream" : "a JSON stream"): \(ProviderErrorClassifier.summarize(body: body, contentType: contentType))"
            )
        }

        // Streamed bodies were parsed and decoded on the transfer thread as they arrived (see
        // InlineStreamDecoder); a whole JSON document (stream ignored) is read here.
        var transportError: ProviderError?
        do {
            if sink.isInline {
                for try await _ in response.body {}
            } else {
                let whole = try await HTTPClient.collect(response.body, limit: 32 << 20)
                if framing == .sse && contentType.contains("application/json") {
                    try sink.decodeWhole(whole)
                } else if !whole.isEmpty {
                    _ = whole.withUnsafeBytes { sink.consume($0) }
                }
            }
        } catch let e as ProviderError {
            transportError = e
        }
        if Task.isCancelled { throw ProviderError(.cancelled, provider: endpoint.name, message: "request cancelled") }
        try sink.finish(transportError: transportError, endpoint: endpoint, model: model)
    }

    static func incomplete(_ endpoint: ProviderEndpoint, _ why: String) -> ProviderError {
        ProviderError(
            .streamCut, provider: endpoint.name,
            message: "the answer is incomplete: \(why); what arrived so far was kept but is cut off")
    }
}
