import NexusCore
import Synchronization

/// A deterministic MCP server that plays a `FakeMCPScript` over the real wire format: JSON-RPC 2.0, one
/// message per line. It speaks the legacy handshake (`initialize`, then `notifications/initialized`),
/// refuses the modern `server/discover` probe as an unknown method (as 2025 servers do), lists its tools
/// in pages, announces `tools/list_changed`, and answers `tools/call` as scripted — text, echo, tool
/// errors, JSON-RPC errors, environment values, slow answers, hangs and crashes on demand.
///
/// It exists so module tests and orchestrator specifications need no Python: the same engine runs out of
/// process (`nexus-fake-mcp`, see `FakeMCPServer+Stdio`) and in process (`InProcessMCPServer`). The
/// transport is the `Wire`; the engine only reads lines and writes lines. Every request is remembered,
/// so an in-process test can say what the server received.
public final class FakeMCPServer: Sendable {
    /// Where the server's output goes: stdout lines, stderr lines, and the process ending.
    public struct Wire: Sendable {
        public var send: @Sendable (String) -> Void
        public var log: @Sendable (String) -> Void
        public var exit: @Sendable (Int32) -> Void
        public init(
            send: @escaping @Sendable (String) -> Void, log: @escaping @Sendable (String) -> Void,
            exit: @escaping @Sendable (Int32) -> Void
        ) {
            self.send = send
            self.log = log
            self.exit = exit
        }
    }

    /// One request as received.
    public struct Received: Sendable, Equatable {
        public var method: String
        public var params: JSONValue
    }

    /// Versions this server accepts in `initialize` (it answers with the one asked for when listed here).
    public static let protocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    public let script: FakeMCPScript
    public let environment: [String: String]
    private let wire: Wire
    private let state: Mutex<State>

    struct State {
        var revealed: Set<String> = []
        var received: [Received] = []
        var ended = false
        /// Nothing is written after a crash.
        var crashed = false
    }

    public init(script: FakeMCPScript, environment: [String: String] = [:], wire: Wire) {
        self.script = script
        self.environment = environment
        self.wire = wire
        self.state = Mutex(State())
    }

    /// Every request received (notifications included), in order.
    public var received: [Received] { state.withLock { $0.received } }

    /// The `tools/call` requests received: tool name and arguments.
    public var calls: [(name: String, arguments: JSONValue)] {
        received.filter { $0.method == "tools/call" }.map {
            ($0.params["name"]?.stringValue ?? "", $0.params["arguments"] ?? [:])
        }
    }

    /// Handles one line from the client. A line that is not JSON gets the JSON-RPC parse error.
    public func receive(line: String) {
        guard !line.allSatisfy(\.isWhitespace), !state.withLock({ $0.ended }) else { return }
        guard let message = try? JSONValue(parsing: line), case .object = message else {
            answer(id: .null, error: -32700, "parse error: not a JSON object")
            return
        }
        let method = message["method"]?.stringValue ?? ""
        state.withLock { $0.received.append(Received(method: method, params: message["params"] ?? .null)) }
        guard let id = message["id"], !method.isEmpty else { return }  // a notification or an answer
        switch method {
        case "initialize":
            let asked = message["params"]?["protocolVersion"]?.stringValue ?? ""
            let version = Self.protocolVersions.contains(asked) ? asked : Self.protocolVersions[1]
            answer(
                id: id,
                result: [
                    "protocolVersion": .string(version), "capabilities": ["tools": ["listChanged": true]],
                    "serverInfo": ["name": .string(script.serverName), "version": "1.0.0"],
                ])
        case "ping": answer(id: id, result: [:])
        case "tools/list": list(id: id, cursor: message["params"]?["cursor"]?.stringValue)
        case "tools/call": call(id: id, params: message["params"] ?? [:])
        default: answer(id: id, error: -32601, "method not found: \(method)")
        }
    }

    /// The client closed stdin: the server leaves quietly.
    public func endOfInput() { state.withLock { $0.ended = true } }

    private func list(id: JSONValue, cursor: String?) {
        let revealed = state.withLock { $0.revealed }
        let visible = script.tools.filter { !$0.hidden || revealed.contains($0.name) }
        let start = min(max(0, cursor.flatMap { Int($0) } ?? 0), visible.count)
        let size = script.pageSize == 0 ? visible.count : script.pageSize
        let end = min(start + size, visible.count)
        var result = JSONObject()
        result["tools"] = .array(
            visible[start..<end].map {
                ["name": .string($0.name), "description": .string($0.description), "inputSchema": $0.inputSchema]
            })
        if end < visible.count { result["nextCursor"] = .string(String(end)) }
        answer(id: id, result: .object(result))
    }

    private func call(id: JSONValue, params: JSONValue) {
        let name = params["name"]?.stringValue ?? ""
        let arguments = params["arguments"] ?? [:]
        guard let tool = script.tools.first(where: { $0.name == name }) else {
            answer(id: id, error: -32602, "unknown tool \(name)")
            return
        }
        let respond: @Sendable () -> Void = { [self] in
            switch tool.answer {
            case .text(let s): answer(id: id, text: s)
            case .echo(let key): answer(id: id, text: arguments[key]?.stringValue ?? arguments[key]?.serialized ?? "")
            case .toolError(let s): answer(id: id, text: s, isError: true)
            case .rpcError(let code, let message): answer(id: id, error: code, message)
            case .environment(let key): answer(id: id, text: environment[key] ?? "<unset>")
            case .crash(let status):
                state.withLock {
                    $0.ended = true
                    $0.crashed = true
                }
                wire.log("fake-mcp: \(tool.name) crashes on purpose (exit status \(status))")
                wire.exit(status)
                return
            case .hang: return
            }
            if !tool.thenReveal.isEmpty {
                state.withLock { $0.revealed.formUnion(tool.thenReveal) }
                send(["jsonrpc": "2.0", "method": "notifications/tools/list_changed"])
            }
        }
        guard tool.delayMs > 0 else { return respond() }
        let delay = UInt64(tool.delayMs) * 1_000_000
        Task.detached {
            // A cancelled sleep only answers early; the client may have given up on the call by then.
            try? await Task.sleep(nanoseconds: delay)
            respond()
        }
    }

    private func answer(id: JSONValue, text: String, isError: Bool = false) {
        answer(id: id, result: ["content": [["type": "text", "text": .string(text)]], "isError": .bool(isError)])
    }

    private func answer(id: JSONValue, result: JSONValue) { send(["jsonrpc": "2.0", "id": id, "result": result]) }

    private func answer(id: JSONValue, error code: Int, _ message: String) {
        send(["jsonrpc": "2.0", "id": id, "error": ["code": .number(Double(code)), "message": .string(message)]])
    }

    private func send(_ message: JSONValue) {
        if state.withLock({ $0.crashed }) { return }
        wire.send(message.serialized)
    }
}
