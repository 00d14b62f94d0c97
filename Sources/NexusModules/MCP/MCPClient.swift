import NexusCore
import NexusPOSIX
import Synchronization

/// A Model Context Protocol client over one module process's stdin/stdout (JSON-RPC 2.0, one message
/// per line).
///
/// Why not the swift-sdk: its stdio transport polls every 10 ms (about 100 wake-ups a second per idle
/// module). Here one thread per process sits in a blocking `read(2)` on stdout and another on stderr:
/// zero wake-ups while a module is idle. Requests are matched to answers by id, so answers may come in
/// any order; every request has a timeout and honours task cancellation (`notifications/cancelled` is
/// sent); a line that is not JSON is logged and skipped; a frame over the size limit or the process
/// exiting fails every waiting call with an error that names the module.
public final class MCPClient: Sendable {
    /// Versions spoken with an `initialize` handshake (legacy, newest first).
    public static let supportedProtocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    /// Versions spoken without a handshake, protocol fields in each request's `_meta` (modern, newest first).
    public static let modernProtocolVersions = ["2026-07-28"]

    public let module: String
    public let process: LaunchedProcess
    public let log: ModuleLog
    public let limits: MCPLimits

    struct State {
        var nextID = 1
        var pending: [Int: Pending] = [:]
        var cancelledEarly: Set<Int> = []
        var closed: MCPError?
        var phase = "the handshake"
        var protocolVersion: String?
        /// The version is a modern one: every request carries it (and the client's fields) in `_meta`.
        var modern = false
        var serverName: String?
        /// Each tool's `outputSchema` from the last `tools/list`, to check `structuredContent` against.
        var outputSchemas: [String: JSONValue] = [:]
        /// Tools the last `tools/list` dropped, with the reason (for `modules test` and the log).
        var skippedTools: [(name: String, problem: String)] = []
        var skippedLines = 0
        /// What the last skipped stdout line was ("a line that is not JSON"), for a timeout's message.
        var lastSkipped = ""
        /// Skipped lines that may have been an answer (see `skip`); `lastSkipped` names the latest.
        var unusableAnswers = 0
        /// The server's stderr named `server/discover` (a server that chokes on the probe says so there).
        var stderrNamedProbe = false
        /// The stderr reader reached end of file (everything the process wrote there has been seen).
        var stderrDone = false
        /// A `tools/list_changed` was reported and nobody has taken it yet: later ones add nothing.
        var listChangedPending = false
        var onNotice: (@Sendable (MCPNotice) -> Void)?
        /// The size of each answer's frame until its request takes it (`measuredRequest`).
        var answerBytes: [Int: Int] = [:]
    }

    struct Pending {
        let method: String
        let continuation: CheckedContinuation<JSONValue, any Error>
        /// `unusableAnswers` when it was sent: more at its timeout means the module answered something unusable.
        let skippedBefore: Int
    }

    let state = Mutex(State())
    private let writeLock = Mutex(())

    /// Wraps a started process and starts its reader threads. Call `initialize()` next (or use `connect`).
    public init(module: String, process: LaunchedProcess, log: ModuleLog, limits: MCPLimits = MCPLimits()) {
        self.module = module
        self.process = process
        self.log = log
        self.limits = limits
        startReaders()
    }

    /// Starts the connection and performs the handshake; on failure the process is ended.
    public static func connect(
        module: String, process: LaunchedProcess, log: ModuleLog, limits: MCPLimits = MCPLimits(),
        onNotice: (@Sendable (MCPNotice) -> Void)? = nil
    ) async throws -> MCPClient {
        let client = MCPClient(module: module, process: process, log: log, limits: limits)
        client.state.withLock { $0.onNotice = onNotice }
        do {
            try await client.initialize()
        } catch {
            client.close()
            throw error
        }
        return client
    }

    /// Launches with `launch` and connects. A server that exits on the `server/discover` probe, saying so on
    /// stderr (early mcp 1.x servers crash on any unknown request before `initialize`), is launched once more
    /// and spoken to without the probe.
    public static func connect(
        module: String, log: ModuleLog, limits: MCPLimits = MCPLimits(),
        onNotice: (@Sendable (MCPNotice) -> Void)? = nil, launch: () throws -> LaunchedProcess
    ) async throws -> MCPClient {
        let client = MCPClient(module: module, process: try launch(), log: log, limits: limits)
        client.state.withLock { $0.onNotice = onNotice }
        do {
            try await client.initialize()
            return client
        } catch let e as MCPError {
            await client.closeAndWait()
            // stderr is read on its own thread: let it reach end of file before asking what it said.
            let deadline = MonotonicClock.nanoseconds() + 2_000_000_000
            while !client.state.withLock({ $0.stderrDone }) && MonotonicClock.nanoseconds() < deadline {
                // Task.sleep throws only on cancellation, which the caller checks next.
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
            let probeNamed = client.state.withLock { $0.stderrNamedProbe }
            guard case .exited = e, limits.discoverTimeout > 0, probeNamed else { throw e }
            log.note("the server exited on the server/discover probe; starting it again with initialize only")
            var legacy = limits
            legacy.discoverTimeout = 0
            let process = try launch()
            return try await connect(module: module, process: process, log: log, limits: legacy, onNotice: onNotice)
        } catch {
            client.close()
            throw error
        }
    }

    public var protocolVersion: String? { state.withLock { $0.protocolVersion } }
    /// Whether the server speaks a modern (2026-07-28 and later) version: no handshake, `_meta` on every request.
    public var isModern: Bool { state.withLock { $0.modern } }
    /// Tools the last `tools/list` left out because their names are not valid MCP tool names.
    public var skippedTools: [(name: String, problem: String)] { state.withLock { $0.skippedTools } }
    public var serverName: String? { state.withLock { $0.serverName } }
    public var isClosed: Bool { state.withLock { $0.closed != nil } }
    public var closedReason: MCPError? { state.withLock { $0.closed } }
    /// Lines on stdout that were not JSON-RPC messages and were skipped.
    public var skippedLines: Int { state.withLock { $0.skippedLines } }
    /// Requests sent and not yet answered.
    public var pendingCount: Int { state.withLock { $0.pending.count } }

    public func setNoticeHandler(_ handler: (@Sendable (MCPNotice) -> Void)?) {
        state.withLock { $0.onNotice = handler }
    }

    /// Whether the server said its tool list changed since the last call; clears it. The notice handler
    /// hears `.toolsListChanged` once, and not again until this is called: however many notifications a
    /// server sends, at most one re-list is waiting. Call it just before listing the tools again.
    public func takeListChanged() -> Bool {
        state.withLock { s in
            defer { s.listChangedPending = false }
            return s.listChangedPending
        }
    }

    // MARK: protocol

    /// Every tool, following `nextCursor` pages.
    public func listTools() async throws -> [MCPTool] {
        var tools: [MCPTool] = []
        var skipped: [(name: String, problem: String)] = []
        var cursor: String?
        var listed = 0
        for _ in 0..<limits.maxToolPages {
            let params: JSONValue? = cursor.map { ["cursor": .string($0)] }
            let (result, bytes) = try await measuredRequest("tools/list", params: params)
            // Each page is bounded by the frame limit, the whole list by the same figure: 100 pages of 15 MiB
            // held nexus for a minute at 3.5 GB, at every start of the module.
            listed += bytes
            if listed > limits.maxFrameBytes {
                let detail =
                    "the tool list passes \(limits.maxFrameBytes >> 20) MB (over \(tools.count + 1) tools so far)"
                throw MCPError.badResponse(module: module, method: "tools/list", detail: detail)
            }
            guard let list = result["tools"]?.arrayValue else {
                throw MCPError.badResponse(module: module, method: "tools/list", detail: "no tools array in the result")
            }
            var overflow = false
            for (i, t) in list.enumerated() {
                guard tools.count < limits.maxTools else {
                    overflow = true
                    break
                }
                guard let tool = MCPTool(json: t) else {
                    log.note("tools/list: tools[\(i)] has no name; skipped")
                    continue
                }
                if let problem = MCPTool.nameProblem(tool.name) {
                    // The first few are named; a module listing thousands would otherwise fill its log each start.
                    if skipped.count < 20 {
                        let shown = JSONValue.string(String(tool.name.prefix(80))).serialized
                        log.note("module \(module): tool \(shown) skipped, never offered to the model: \(problem)")
                        skipped.append((String(tool.name.prefix(80)), problem))
                    } else if skipped.count == 20 {
                        log.note("module \(module): more tools skipped for their names; not named one by one")
                        skipped.append(("…", "more tools skipped for their names"))
                    }
                    continue
                }
                tools.append(tool)
            }
            let more = !(result["nextCursor"]?.stringValue ?? "").isEmpty
            let full = tools.count >= limits.maxTools
            if overflow || (full && more) {
                log.note(
                    "module \(module): lists more than \(limits.maxTools) tools; nexus takes the first "
                        + "\(limits.maxTools) and reads no further")
            }
            guard !full, let next = result["nextCursor"]?.stringValue, !next.isEmpty else {
                state.withLock { s in
                    s.skippedTools = skipped
                    s.outputSchemas = [:]
                    for t in tools where s.outputSchemas[t.name] == nil { s.outputSchemas[t.name] = t.outputSchema }
                }
                return tools
            }
            if next == cursor {
                throw MCPError.badResponse(
                    module: module, method: "tools/list",
                    detail: "nextCursor repeats \(JSONValue.string(next).serialized)")
            }
            cursor = next
        }
        throw MCPError.badResponse(
            module: module, method: "tools/list", detail: "more than \(limits.maxToolPages) pages")
    }

    /// Runs a tool. `traceparent` (W3C) goes into the request's `_meta`; a random one when nil or malformed.
    /// A result that is not usable as it stands (an `input_required` nexus cannot answer, `structuredContent`
    /// that breaks the tool's `outputSchema`) comes back as a tool error saying why, never as a hang.
    public func callTool(name: String, arguments: JSONValue, timeout: Double? = nil, traceparent: String? = nil)
        async throws -> MCPToolResult
    {
        let args: JSONValue = arguments.objectValue == nil ? [:] : arguments
        var params = JSONObject([("name", .string(name)), ("arguments", args)])
        var result = try await request(
            "tools/call", params: .object(params), timeout: timeout, traceparent: traceparent)
        // MCP 2026-07-28 multi round-trip: a server that only wants its state back may be retried at once;
        // anything it asks of the user or the model is described to the model instead (nexus declares no
        // elicitation, sampling or roots, so a well-behaved server does not ask).
        var rounds = 0
        while MCPToolResult.isInputRequired(result), result["inputRequests"] == nil,
            let state = result["requestState"]?.stringValue, rounds < 3
        {
            rounds += 1
            params["requestState"] = .string(state)
            result = try await request(
                "tools/call", params: .object(params), timeout: timeout, traceparent: traceparent)
        }
        let parsed = try MCPToolResult(module: module, tool: name, json: result)
        if parsed.isError || MCPToolResult.isInputRequired(result) { return parsed }
        guard let schema = state.withLock({ $0.outputSchemas[name] }) else { return parsed }
        if let problem = OutputSchemaCheck.problem(parsed.structured, schema: schema) {
            let message =
                "module \(module): tool \(name) returned a result that does not match its outputSchema: \(problem)"
            log.note(message)
            return MCPToolResult(text: message, isError: true, structured: nil)
        }
        return parsed
    }

    /// Checks the server is alive: `ping` for a legacy server, `server/discover` for a modern one (which has no ping).
    public func ping(timeout: Double = 5) async throws {
        _ = try await request(isModern ? "server/discover" : "ping", params: nil, timeout: timeout)
    }

    /// Ends the process (stdin EOF, SIGTERM, SIGKILL after `graceMs`) and fails whatever is still
    /// waiting. Returns at once: the waiting happens on its own thread, never on Swift's small
    /// cooperative pool.
    public func close(graceMs: Int = 500) {
        fail(all: .notConnected(module: module), closing: true)
        let process = self.process
        if !DetachedThread.start(stackSize: 256 << 10, { process.terminate(graceMs: graceMs) }) {
            process.signal(.kill)
        }
    }

    /// `close()`, then waits (without blocking a thread) until the process was reaped.
    public func closeAndWait(graceMs: Int = 500) async {
        close(graceMs: graceMs)
        let deadline = MonotonicClock.nanoseconds() + UInt64(graceMs + 3000) * 1_000_000
        while process.exitStatus == nil && MonotonicClock.nanoseconds() < deadline {
            // Task.sleep throws only on cancellation, which the caller checks next.
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
    }

    // MARK: JSON-RPC

    /// Sends a request and waits for its answer, a timeout, cancellation or the connection closing.
    /// `_meta` gets a W3C `traceparent` (the caller's, or a random one) and, for a modern server, the
    /// protocol version and client fields MCP 2026-07-28 requires on every request.
    public func request(_ method: String, params: JSONValue?, timeout: Double? = nil, traceparent: String? = nil)
        async throws -> JSONValue
    {
        try await measuredRequest(method, params: params, timeout: timeout, traceparent: traceparent).result
    }

    /// `request`, and the size in bytes of the frame that carried the answer.
    func measuredRequest(_ method: String, params: JSONValue?, timeout: Double? = nil, traceparent: String? = nil)
        async throws -> (result: JSONValue, bytes: Int)
    {
        let (id, modernVersion) = state.withLock { s -> (Int, String?) in
            defer { s.nextID += 1 }
            return (s.nextID, s.modern ? s.protocolVersion : nil)
        }
        defer { _ = state.withLock { $0.answerBytes.removeValue(forKey: id) } }
        var msg = JSONObject([("jsonrpc", "2.0"), ("id", .number(Double(id))), ("method", .string(method))])
        msg["params"] = Self.withMeta(
            params, traceparent: TraceParent.valid(traceparent) ?? TraceParent.random(),
            modernVersion: modernVersion)
        let frame = JSONValue.object(msg)
        let seconds = timeout ?? limits.requestTimeout
        let timer = Task { [weak self] in
            // Task.sleep throws only on cancellation, which the caller checks next.
            try? await Task.sleep(nanoseconds: Seconds.nanoseconds(seconds))
            if Task.isCancelled { return }
            self?.expire(id, method: method, seconds: seconds)
        }
        defer { timer.cancel() }
        let result = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<JSONValue, any Error>) in
                let early: (any Error)? = state.withLock { s in
                    if let closed = s.closed { return closed }
                    if s.cancelledEarly.remove(id) != nil { return MCPError.cancelled(module: module, method: method) }
                    s.pending[id] = Pending(method: method, continuation: cont, skippedBefore: s.unusableAnswers)
                    return nil
                }
                if let early {
                    cont.resume(throwing: early)
                    return
                }
                if !send(frame) {
                    resolve(id, .failure(closedError()))
                }
            }
        } onCancel: {
            self.cancel(id, method: method)
        }
        return (result, state.withLock { $0.answerBytes[id] } ?? 0)
    }

    public func notify(_ method: String, params: JSONValue?) throws {
        var msg = JSONObject([("jsonrpc", "2.0"), ("method", .string(method))])
        if let params { msg["params"] = params }
        if !send(.object(msg)) { throw closedError() }
    }

    func send(_ frame: JSONValue) -> Bool {
        var text = frame.serialized
        text.append("\n")
        let bytes = Array(text.utf8)
        return writeLock.withLock { _ in process.writeAll(bytes) }
    }

    private func expire(_ id: Int, method: String, seconds: Double) {
        let error = state.withLock { s -> MCPError in
            guard let p = s.pending[id], s.unusableAnswers > p.skippedBefore else {
                return .timeout(module: module, method: method, seconds: seconds)
            }
            return .unusableAnswer(module: module, method: method, seconds: seconds, what: s.lastSkipped, log: log.path)
        }
        guard resolve(id, .failure(error)) else { return }
        log.note("\(method) (id \(id)) timed out after \(MCPError.seconds(seconds))")
        _ = send([
            "jsonrpc": "2.0", "method": "notifications/cancelled",
            "params": ["requestId": .number(Double(id)), "reason": "timeout"],
        ])
    }

    private func cancel(_ id: Int, method: String) {
        let found = resolve(id, .failure(MCPError.cancelled(module: module, method: method)))
        if !found {
            state.withLock { s in if s.closed == nil { s.cancelledEarly.insert(id) } }
            return
        }
        _ = send([
            "jsonrpc": "2.0", "method": "notifications/cancelled",
            "params": ["requestId": .number(Double(id)), "reason": "cancelled"],
        ])
    }

    /// Completes a pending request; false when it was no longer pending.
    @discardableResult
    func resolve(_ id: Int, _ result: Result<JSONValue, any Error>) -> Bool {
        guard let p = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return false }
        p.continuation.resume(with: result)
        return true
    }

    func closedError() -> MCPError {
        state.withLock { $0.closed } ?? .notConnected(module: module)
    }

    /// Marks the connection closed with `error` and fails every pending request with it.
    func fail(all error: MCPError, closing: Bool) {
        let (pending, handler, first) = state.withLock { s -> ([Pending], (@Sendable (MCPNotice) -> Void)?, Bool) in
            let first = s.closed == nil
            if first && closing { s.closed = error }
            let p = Array(s.pending.values)
            s.pending.removeAll()
            return (p, s.onNotice, first)
        }
        for p in pending { p.continuation.resume(throwing: error) }
        if first && closing { handler?(.closed(error)) }
    }
}
