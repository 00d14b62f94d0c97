import NexusCore
import NexusPOSIX
import Synchronization

/// A real HTTP/1.1 model server on 127.0.0.1 that speaks all four wire protocols (OpenAI Chat
/// Completions, Anthropic Messages, Gemini generateContent, Ollama /api/chat) and answers from a script.
///
/// Tests point real providers at `baseURL(for:)` and script behaviour with `enqueue`: streamed text,
/// tool calls, usage, rate limits with Retry-After, 5xx, dropped connections, HTML pages, silence.
/// Every request is recorded, and every tool call the fake made must be answered by a tool result in
/// the next request: `violations` lists the ones that were not (as codex's mock server checks).
/// Call `stop()` when done (its threads keep it alive until then).
public final class FakeProviderServer: Sendable {
    struct State {
        var queue: [FakeReply] = []
        var requests: [RecordedRequest] = []
        var violations: [String] = []
        var pendingCalls: [FakeToolCall] = []
        var pendingWire: FakeWireProtocol?
        var connections: Set<Int32> = []
        var stopped = false
        var repeatLast = false
        var observer: (@Sendable (RecordedRequest) -> Void)?
    }

    public let port: UInt16
    /// Models every protocol lists and accepts; a chat request for another gets the protocol's 404.
    /// Empty → any model is accepted.
    public let models: [String]
    private let listenFD: Int32
    private let state = Mutex(State())

    /// Starts listening on a free loopback port (or `port`). Throws when the socket cannot be opened.
    public init(models: [String] = ["fake-model", "fake-large"], port: UInt16 = 0) throws {
        guard let (fd, p) = FakeSocket.listen(port: port) else {
            throw NexusError("fake provider: cannot listen on 127.0.0.1:\(port): \(SystemError.currentText)")
        }
        self.listenFD = fd
        self.port = p
        self.models = models
        DetachedThread.start { [self] in acceptLoop() }
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// The base URL a provider of `kind` is configured with (OpenAI's includes `/v1`).
    public func baseURL(for wire: FakeWireProtocol) -> String {
        wire == .openai ? url + "/v1" : url
    }

    /// Adds replies to the script; each chat request takes the next one.
    public func enqueue(_ replies: FakeReply...) {
        state.withLock { $0.queue.append(contentsOf: replies) }
    }

    public func enqueue(contentsOf replies: [FakeReply]) {
        state.withLock { $0.queue.append(contentsOf: replies) }
    }

    /// When on, the last scripted reply is served again once the script runs out (for end-to-end runs).
    public func setRepeatLastReply(_ on: Bool) {
        state.withLock { $0.repeatLast = on }
    }

    /// Called with every request as it arrives (the command-line mode writes them to a file).
    public func setRequestObserver(_ observer: @escaping @Sendable (RecordedRequest) -> Void) {
        state.withLock { $0.observer = observer }
    }

    /// Every request received so far, in order.
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// Chat requests only (not model listings).
    public var chatRequests: [RecordedRequest] { requests.filter { $0.wire != nil } }

    /// Tool calls the fake made that the following request did not answer with a tool result.
    public var violations: [String] { state.withLock { $0.violations } }

    /// Connections currently open (a client that aborted shows up as this dropping).
    public var openConnectionCount: Int { state.withLock { $0.connections.count } }

    /// Replies still waiting in the script.
    public var remainingReplies: Int { state.withLock { $0.queue.count } }

    /// Stops accepting and closes every open connection (hanging ones included).
    public func stop() {
        // Under the lock: a connection thread closes its fd under the same lock, so a number shut down
        // here is never one the kernel already gave to someone else's socket.
        state.withLock { s in
            if s.stopped { return }
            s.stopped = true
            LoopbackSocket.shutdown(listenFD)
            for fd in s.connections { LoopbackSocket.shutdown(fd) }
        }
    }

    var isStopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        defer { Descriptor.close(listenFD) }
        while !isStopped {
            guard let fd = LoopbackSocket.accept(listenFD) else { return }
            let ok = state.withLock { s -> Bool in
                if s.stopped { return false }
                s.connections.insert(fd)
                return true
            }
            guard ok else {
                Descriptor.close(fd)
                return
            }
            DetachedThread.start { [self] in
                serve(fd)
                state.withLock { s in
                    s.connections.remove(fd)
                    Descriptor.close(fd)
                }
            }
        }
    }

    private func serve(_ fd: Int32) {
        guard let req = FakeHTTPRequest.read(from: fd) else { return }
        let wire = FakeWireProtocol.forChat(path: req.target, method: req.method)
        let recorded = RecordedRequest(
            method: req.method, path: req.target, headers: req.headers, body: String(decoding: req.body, as: UTF8.self),
            wire: wire)
        let observer = state.withLock { s in
            s.requests.append(recorded)
            return s.observer
        }
        observer?(recorded)
        if let wire {
            serveChat(fd, wire: wire, request: recorded)
        } else if req.method == "GET", let listing = listingProtocol(req.target) {
            respond(fd, status: 200, contentType: "application/json", body: listing.modelList(models).serialized)
        } else {
            respond(fd, status: 404, contentType: "text/plain", body: "404 page not found")
        }
    }

    private func listingProtocol(_ target: String) -> FakeWireProtocol? {
        let p = target.split(separator: "?").first.map(String.init) ?? target
        if p.hasSuffix("/v1/models") || p.hasSuffix("/models") && !p.contains("v1beta") { return .openai }
        if p.hasSuffix("/v1beta/models") { return .gemini }
        if p.hasSuffix("/api/tags") { return .ollama }
        return nil
    }

    private func serveChat(_ fd: Int32, wire: FakeWireProtocol, request: RecordedRequest) {
        let json = request.json
        let model = wire.model(in: json, path: request.path) ?? ""
        checkToolPairing(wire: wire, json: json)
        if !models.isEmpty && !models.contains(model) {
            respond(
                fd, status: 404, contentType: "application/json",
                body: wire.errorBody(status: 404, message: nil, model: model))
            return
        }
        let reply = state.withLock { s -> FakeReply? in
            if s.queue.isEmpty { return nil }
            return s.queue.count == 1 && s.repeatLast ? s.queue[0] : s.queue.removeFirst()
        }
        guard let reply else {
            respond(
                fd, status: 500, contentType: "application/json",
                body: wire.errorBody(status: 500, message: "fake provider: no scripted reply left", model: model))
            return
        }
        switch reply.action {
        case .stream(let s):
            state.withLock {
                $0.pendingCalls = s.toolCalls
                $0.pendingWire = wire
            }
            writeStream(fd, wire: wire, stream: s, model: model)
        case .error(let status, let message, let headers):
            respond(
                fd, status: status, contentType: "application/json",
                body: wire.errorBody(status: status, message: message, model: model), headers: headers)
        case .html(let status, let title):
            let page = """
                <!DOCTYPE html>
                <html><head><title>\(title)</title></head>
                <body><center><h1>\(title)</h1></center><hr><center>nginx</center></body></html>
                """
            respond(fd, status: status, contentType: "text/html", body: page)
        case .raw(let status, let contentType, let pieces, let delayMs):
            FakeSocket.writeAll(fd, head(status: status, contentType: contentType, chunked: true, extra: []))
            for piece in pieces {
                FakeSocket.sleepMs(delayMs)
                if !writeChunk(fd, piece) { return }
            }
            FakeSocket.writeAll(fd, "0\r\n\r\n")
        case .hang:
            hang(fd)
        }
    }

    /// Remembers nothing is owed when the pairing holds; records a violation for each unanswered call.
    private func checkToolPairing(wire: FakeWireProtocol, json: JSONValue?) {
        let (owed, owedWire) = state.withLock { s -> ([FakeToolCall], FakeWireProtocol?) in
            defer {
                s.pendingCalls = []
                s.pendingWire = nil
            }
            return (s.pendingCalls, s.pendingWire)
        }
        guard !owed.isEmpty, let owedWire else { return }
        let answered = wire.toolResultKeys(in: json)
        var missing: [String] = []
        for call in owed where !answered.contains(owedWire.resultKey(for: call)) {
            missing.append(
                "tool call \(call.id) (\(call.name)) has no tool result in the next \(wire.rawValue) request")
        }
        if !missing.isEmpty { state.withLock { $0.violations.append(contentsOf: missing) } }
    }

    private func writeStream(_ fd: Int32, wire: FakeWireProtocol, stream s: FakeStream, model: String) {
        guard FakeSocket.writeAll(fd, head(status: 200, contentType: wire.streamContentType, chunked: true, extra: []))
        else { return }
        var textChunks = 0
        for (n, event) in wire.streamEvents(s, model: model).enumerated() {
            if n > 0 { FakeSocket.sleepMs(s.delayMs) }
            // A scripted drop closes the socket without the terminating chunk: a cut the client must notice.
            if let drop = s.dropAfterChunks {
                if event.isTextChunk && textChunks >= drop { return }
                if !event.isTextChunk && !event.isPreamble { continue }
            }
            if s.splitEvents, event.bytes.utf8.count > 4 {
                let bytes = Array(event.bytes.utf8)
                let mid = bytes.count / 2
                if !writeChunk(fd, bytes[0..<mid]) { return }
                FakeSocket.sleepMs(2)
                if !writeChunk(fd, bytes[mid...]) { return }
            } else if !writeChunk(fd, event.bytes) {
                return
            }
            if event.isTextChunk { textChunks += 1 }
            if let drop = s.dropAfterChunks, textChunks >= drop, drop > 0 { return }
        }
        if s.dropAfterChunks != nil { return }
        FakeSocket.writeAll(fd, "0\r\n\r\n")
    }

    private func hang(_ fd: Int32) {
        // Wait until the client gives up (EOF) or the server stops.
        var scratch = [UInt8](repeating: 0, count: 512)
        while !isStopped {
            if Descriptor.isReadable(fd, timeoutMs: 50), LoopbackSocket.receive(fd, into: &scratch) <= 0 { return }
        }
    }

    private func head(status: Int, contentType: String, chunked: Bool, extra: [(String, String)], length: Int = 0)
        -> String
    {
        var h = "HTTP/1.1 \(status) \(FakeProviderServer.reason(status))\r\nContent-Type: \(contentType)\r\n"
        h += chunked ? "Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n" : "Content-Length: \(length)\r\n"
        for (k, v) in extra { h += "\(k): \(v)\r\n" }
        return h + "Connection: close\r\n\r\n"
    }

    private func respond(_ fd: Int32, status: Int, contentType: String, body: String, headers: [(String, String)] = [])
    {
        let bytes = Array(body.utf8)
        FakeSocket.writeAll(
            fd, head(status: status, contentType: contentType, chunked: false, extra: headers, length: bytes.count))
        FakeSocket.writeAll(fd, bytes)
    }

    private func writeChunk(_ fd: Int32, _ s: String) -> Bool { writeChunk(fd, Array(s.utf8)[...]) }

    private func writeChunk(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return true }
        var out = Array(String(bytes.count, radix: 16).utf8) + [13, 10]
        out.append(contentsOf: bytes)
        out.append(contentsOf: [13, 10])
        return FakeSocket.writeAll(fd, out)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 529: "Overloaded"
        default: "Status"
        }
    }
}
