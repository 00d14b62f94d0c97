import NexusCore
import Synchronization

/// Frames and decodes a streamed completion on the HTTP transfer thread, yielding `LLMStreamEvent`s
/// straight to the consumer's stream as bytes arrive: no hop through the task pool between the socket
/// and the token event, which keeps the bytes→token latency well under a millisecond.
///
/// The async side (`ProviderStreamRunner`) waits for the transfer to end and then calls `finish`, which
/// applies the completeness rules: cut after text → `.streamCut`, cut before text → `.connection`,
/// no text and no tool call → "empty answer".
final class InlineStreamDecoder<D: WireStreamDecoder>: HTTPBodySink {
    struct Flags {
        var sawContent = false
        var events = 0
    }

    struct State {
        var decoder: D
        var sse = SSEParser()
        var nd = NDJSONParser()
        var flags = Flags()
        var inline = false
        var error: (any Error)?
    }

    let framing: StreamFraming
    let provider: String
    let continuation: AsyncThrowingStream<LLMStreamEvent, any Error>.Continuation
    let state: Mutex<State>

    init(
        decoder: D, framing: StreamFraming, provider: String,
        continuation: AsyncThrowingStream<LLMStreamEvent, any Error>.Continuation
    ) {
        self.framing = framing
        self.provider = provider
        self.continuation = continuation
        self.state = Mutex(State(decoder: decoder))
    }

    var isInline: Bool { state.withLock { $0.inline } }

    /// Takes streamed 2xx bodies; error pages, HTML and whole JSON documents stay on the async side.
    func accepts(_ head: HTTPResponseHead) -> Bool {
        guard (200..<300).contains(head.status) else { return false }
        let ct = head.header("content-type")?.lowercased() ?? ""
        if ct.contains("text/html") { return false }
        if framing == .sse && ct.contains("application/json") { return false }
        state.withLock { $0.inline = true }
        return true
    }

    func consume(_ bytes: UnsafeRawBufferPointer) -> Bool {
        state.withLock { s in
            guard s.error == nil else { return false }
            do {
                try frame(&s) { s, sse, nd in
                    switch framing {
                    case .sse: try sse.feed(bytes) { e in try feed(&s, e.event, e.data) }
                    case .ndjson: try nd.feed(bytes) { line, _ in try feed(&s, nil, line) }
                    }
                }
                return true
            } catch {
                s.error = error
                return false
            }
        }
    }

    /// Runs `body` with the parsers moved out of `s`, so the decoder in `s` can be used while they run.
    private func frame(_ s: inout State, _ body: (inout State, inout SSEParser, inout NDJSONParser) throws -> Void)
        throws
    {
        var sse = SSEParser()
        var nd = NDJSONParser()
        swap(&sse, &s.sse)
        swap(&nd, &s.nd)
        defer {
            swap(&sse, &s.sse)
            swap(&nd, &s.nd)
        }
        try body(&s, &sse, &nd)
    }

    /// A complete JSON answer from a server that ignored `stream: true`.
    func decodeWhole(_ payload: [UInt8]) throws {
        try state.withLock { s in
            var flags = s.flags
            defer { s.flags = flags }
            flags.events += 1
            try s.decoder.decodeComplete(payload: payload) { e in emit(&flags, e) }
        }
    }

    private func feed(_ s: inout State, _ name: String?, _ payload: [UInt8]) throws {
        var flags = s.flags
        defer { s.flags = flags }
        flags.events += 1
        try s.decoder.decode(event: name, payload: payload) { e in emit(&flags, e) }
    }

    private func emit(_ flags: inout Flags, _ e: LLMStreamEvent) {
        switch e {
        case .text(let t) where !t.isEmpty: flags.sawContent = true
        case .toolCall: flags.sawContent = true
        default: break
        }
        continuation.yield(e)
    }

    /// Called once the transfer ended: flushes the parsers and decides whether the answer is whole.
    func finish(transportError: ProviderError?, endpoint: ProviderEndpoint, model: String) throws {
        try state.withLock { s in
            if let e = s.error { throw classify(e, sawContent: s.flags.sawContent, endpoint: endpoint) }
            if let e = transportError {
                if s.flags.sawContent { throw ProviderStreamRunner.incomplete(endpoint, e.message) }
                if e.kind == .streamCut {
                    throw ProviderError(
                        .connection, provider: endpoint.name, message: e.message + " before any answer arrived")
                }
                throw e
            }
            do {
                try frame(&s) { s, sse, nd in
                    switch framing {
                    case .sse: try sse.finish { e in try feed(&s, e.event, e.data) }
                    case .ndjson: try nd.finish { line, _ in try feed(&s, nil, line) }
                    }
                }
            } catch {
                throw classify(error, sawContent: s.flags.sawContent, endpoint: endpoint)
            }
            guard s.decoder.isComplete else {
                if s.flags.sawContent {
                    throw ProviderStreamRunner.incomplete(endpoint, "the stream ended before the end-of-answer marker")
                }
                throw ProviderError(
                    .connection, provider: endpoint.name,
                    message:
                        "the connection closed before the answer finished (\(s.flags.events) stream events, no text)")
            }
            var held: [LLMStreamEvent] = []
            try s.decoder.end { e in held.append(e) }
            // Tool calls a stream completes only at its end (`[DONE]` with no `finish_reason`) are content too:
            // counting only what came before called such an answer empty after its tool call was shown.
            let sawContent =
                s.flags.sawContent
                || held.contains { e in
                    switch e {
                    case .text(let t): !t.isEmpty
                    case .toolCall: true
                    default: false
                    }
                }
            var finished = false
            for e in held {
                if case .finish = e {
                    finished = true
                    if !sawContent { continue }
                }
                emit(&s.flags, e)
            }
            if !sawContent {
                throw ProviderError(
                    .invalidResponse, provider: endpoint.name,
                    message: "model '\(model)' returned an empty answer (no text and no tool call)")
            }
            if !finished { continuation.yield(.finish(reason: "stop")) }
        }
    }

    private func classify(_ error: any Error, sawContent: Bool, endpoint: ProviderEndpoint) -> ProviderError {
        let e: ProviderError
        if let p = error as? ProviderError {
            e = p
        } else if let f = error as? StreamFramingError {
            e = ProviderError(.invalidResponse, provider: endpoint.name, message: "unreadable stream: \(f)")
        } else {
            e = ProviderError(.invalidResponse, provider: endpoint.name, message: String(describing: error))
        }
        return sawContent && e.kind != .cancelled ? ProviderStreamRunner.incomplete(endpoint, e.message) : e
    }
}
