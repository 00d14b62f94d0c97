import CCurl
import NexusCore
import NexusPOSIX
import Synchronization

/// One libcurl transfer running on its own thread, feeding the response head to a continuation and
/// the body, chunk by chunk, to an `AsyncThrowingStream`.
///
/// libcurl blocks, and the cooperative pool has one thread per core, so every transfer gets a dedicated
/// thread driving a private multi handle with `curl_multi_poll`. That loop lets us stop promptly when the
/// consumer cancels (`curl_multi_wakeup`) and measure the idle (read) timeout with millisecond precision.
final class CurlTransfer: Sendable {
    struct State {
        var headContinuation: CheckedContinuation<HTTPResponseHead, any Error>?
        var status = 0
        var headers: [(String, String)] = []
        var headDelivered = false
        var bodyBytes = 0
        var cancelled = false
        var lastActivityNs: UInt64 = MonotonicClock.nanoseconds()
        /// The multi handle while the loop runs, so `cancel()` can wake it; nil once cleaned up.
        /// (Kept as an address: raw pointers are not Sendable, and only this loop's owner frees it.)
        var multiAddress: UInt = 0
        /// The inline sink took the body: bytes go to it on this thread, not to the body stream.
        var inline = false
    }

    let request: HTTPRequest
    let body: AsyncThrowingStream<[UInt8], any Error>.Continuation
    let sink: (any HTTPBodySink)?
    let state = Mutex(State())

    init(
        request: HTTPRequest, body: AsyncThrowingStream<[UInt8], any Error>.Continuation,
        sink: (any HTTPBodySink)? = nil
    ) {
        self.request = request
        self.body = body
        self.sink = sink
    }

    /// Starts the transfer thread; `head` is resumed once with the response head or the failure.
    func start(head: CheckedContinuation<HTTPResponseHead, any Error>) {
        let alreadyCancelled = state.withLock { s -> Bool in
            s.headContinuation = head
            return s.cancelled
        }
        if alreadyCancelled {
            finish(code: CURLE_OK, detail: "")
            return
        }
        let started = DetachedThread.start { [self] in run() }
        if !started {
            fail(ProviderError(.connection, provider: request.label, message: "could not start a network thread"))
        }
    }

    /// Stops the transfer as soon as possible (consumer gone, task cancelled, Ctrl-C).
    func cancel() {
        state.withLock { s in
            s.cancelled = true
            // libcurl loaded before this transfer started; without it there is no transfer to wake.
            if let m = UnsafeMutableRawPointer(bitPattern: s.multiAddress), let curl = try? CurlLibrary.get() {
                _ = curl.multiWakeup(m)
            }
        }
    }

    // MARK: callbacks (transfer thread)

    func onHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // A server's header line (up to 100 KB) is searched for its colon character by character: its long runs of
        // combining marks in order first (`MarkOrder`), or each comparison sorts them in quadratic time.
        let line = MarkOrder.ordered(String(decoding: bytes, as: UTF8.self)).trimmingSpaces
        return state.withLock { s in
            s.lastActivityNs = MonotonicClock.nanoseconds()
            if s.cancelled { return false }
            if line.hasPrefix("HTTP/") {
                let parts = line.split(separator: " ", maxSplits: 2)
                s.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
                s.headers = []
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon]).lowercased()
                let value = String(line[line.index(after: colon)...]).trimmingSpaces
                s.headers.append((name, value))
            }
            return true
        }
    }

    func onBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let (ok, headToDeliver) = state.withLock {
            s -> (Bool, (CheckedContinuation<HTTPResponseHead, any Error>, HTTPResponseHead)?) in
            s.lastActivityNs = MonotonicClock.nanoseconds()
            if s.cancelled { return (false, nil) }
            s.bodyBytes += bytes.count
            return (true, takeHead(&s))
        }
        guard ok else { return false }
        if let (c, h) = headToDeliver {
            let inline = sink?.accepts(h) ?? false
            if inline { state.withLock { $0.inline = true } }
            c.resume(returning: h)
        }
        if let sink, state.withLock({ $0.inline }) {
            return sink.consume(bytes)
        }
        body.yield(Array(bytes))
        return true
    }

    private func takeHead(_ s: inout State) -> (CheckedContinuation<HTTPResponseHead, any Error>, HTTPResponseHead)? {
        guard !s.headDelivered, let c = s.headContinuation else { return nil }
        s.headDelivered = true
        s.headContinuation = nil
        return (c, HTTPResponseHead(status: s.status, headers: s.headers))
    }

    // MARK: completion

    /// Ends the transfer: delivers the head if the body was empty, then finishes or fails the body.
    func finish(code: CURLcode, detail: String, idleTimeout: Bool = false) {
        let (cancelled, bodyStarted, head) = state.withLock { s in
            (
                s.cancelled, s.bodyBytes > 0,
                s.headDelivered || idleTimeout ? nil : (code == CURLE_OK && !s.cancelled ? takeHead(&s) : nil)
            )
        }
        if let (c, h) = head {
            c.resume(returning: h)
            body.finish()
            return
        }
        if cancelled {
            fail(ProviderError(.cancelled, provider: request.label, message: "request cancelled"))
            return
        }
        if idleTimeout {
            let secs = Seconds.describe(request.readTimeout)
            let what = bodyStarted ? "stopped sending for \(secs)" : "sent nothing for \(secs)"
            fail(ProviderError(.timeout, provider: request.label, message: "\(hostOf(request.url)) \(what)"))
            return
        }
        if code == CURLE_OK {
            body.finish()
            return
        }
        fail(CurlTransfer.mapError(code: code, detail: detail, bodyStarted: bodyStarted, request: request))
    }

    /// Fails whichever side is still waiting: the head if not yet delivered, else the body.
    func fail(_ error: ProviderError) {
        let c = state.withLock { s -> CheckedContinuation<HTTPResponseHead, any Error>? in
            let c = s.headContinuation
            s.headContinuation = nil
            if c != nil { s.headDelivered = true }
            return c
        }
        if let c {
            c.resume(throwing: error)
            body.finish(throwing: error)
        } else {
            body.finish(throwing: error)
        }
    }

    static func mapError(code: CURLcode, detail: String, bodyStarted: Bool, request: HTTPRequest) -> ProviderError {
        let host = hostOf(request.url)
        // Without libcurl the code itself is the description.
        let why = detail.isEmpty ? ((try? CurlLibrary.get())?.errorText(code) ?? "curl error \(code.rawValue)") : detail
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return ProviderError(
                .timeout, provider: request.label,
                message: "could not reach \(host) within \(Seconds.describe(request.connectTimeout)) (\(why))")
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return ProviderError(.connection, provider: request.label, message: "cannot connect to \(host): \(why)")
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return ProviderError(
                .badRequest(status: 0), provider: request.label, message: "invalid URL \(request.url): \(why)")
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            if bodyStarted {
                return ProviderError(
                    .streamCut, provider: request.label, message: "\(host) dropped the connection mid-response (\(why))"
                )
            }
            return ProviderError(
                .connection, provider: request.label, message: "\(host) closed the connection (\(why))")
        default:
            if bodyStarted {
                return ProviderError(
                    .streamCut, provider: request.label, message: "transfer from \(host) broke: \(why)")
            }
            return ProviderError(.connection, provider: request.label, message: "request to \(host) failed: \(why)")
        }
    }
}

/// `scheme://host:port` of a URL, for messages (never the path or query, which may carry keys).
func hostOf(_ url: String) -> String {
    var rest = Substring(url)
    var scheme = ""
    if let r = rest.firstRange(of: "://") {
        scheme = String(rest[..<r.upperBound])
        rest = rest[r.upperBound...]
    }
    let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
    return scheme + rest[..<end]
}
