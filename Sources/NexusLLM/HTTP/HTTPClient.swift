import NexusCore

/// Sends HTTP requests over libcurl and hands back the response as it streams in.
///
/// Providers use `send` for streamed completions (the body is read chunk by chunk as tokens arrive)
/// and `fetch` for small JSON answers (model lists). Cancelling the awaiting task, or dropping the body
/// stream, aborts the transfer. TLS verification is always on; proxy variables are honoured.
public struct HTTPClient: Sendable {
    public init() {}

    /// Starts the request and returns once the response head (status, headers) has arrived.
    /// Throws `ProviderError` for transport failures (.connection, .timeout, .cancelled).
    ///
    /// With a `sink` that accepts the response head, body bytes are handed to it on the transfer thread
    /// as they arrive (no task hop: the lowest latency from socket to parser), and the body stream only
    /// reports the end of the transfer or its failure.
    public func send(_ request: HTTPRequest, sink: (any HTTPBodySink)? = nil) async throws -> HTTPResponse {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let transfer = CurlTransfer(request: request, body: continuation, sink: sink)
        continuation.onTermination = { _ in transfer.cancel() }
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<HTTPResponseHead, any Error>) in
                transfer.start(head: c)
            }
        } onCancel: {
            transfer.cancel()
        }
        return HTTPResponse(head: head, body: stream)
    }

    /// Sends the request and collects the whole body, up to `limit` bytes (the rest is dropped).
    public func fetch(_ request: HTTPRequest, limit: Int = 8 << 20) async throws -> (HTTPResponseHead, [UInt8]) {
        let response = try await send(request)
        let bytes = try await HTTPClient.collect(response.body, limit: limit)
        return (response.head, bytes)
    }

    /// Reads a body stream into memory, stopping (and aborting the transfer) after `limit` bytes.
    public static func collect(_ body: AsyncThrowingStream<[UInt8], any Error>, limit: Int) async throws -> [UInt8] {
        var out: [UInt8] = []
        for try await chunk in body {
            out.append(contentsOf: chunk.prefix(max(0, limit - out.count)))
            if out.count >= limit { break }
        }
        return out
    }
}

/// Receives a response body on the transfer thread, chunk by chunk, as the bytes arrive.
public protocol HTTPBodySink: Sendable {
    /// Called once, on the transfer thread, when the head arrives: true takes over the body.
    func accepts(_ head: HTTPResponseHead) -> Bool
    /// Called for each chunk on the transfer thread; false aborts the transfer.
    func consume(_ bytes: UnsafeRawBufferPointer) -> Bool
}
