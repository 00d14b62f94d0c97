import NexusCore

/// What went wrong talking to a module's MCP server, always naming the module.
public enum MCPError: UserFacingError, Equatable {
    /// The process ended (or closed stdout); `stderrTail` is its last words. `log` (in these three cases) is
    /// the module's log file, a full path under the home, nil when nothing is logged.
    case exited(module: String, status: String, during: String, stderrTail: String, log: String? = nil)
    /// The process closed its stdout but kept running (nexus ends it).
    case closedOutput(module: String, during: String, log: String? = nil)
    case timeout(module: String, method: String, seconds: Double)
    /// No usable answer in time, but the module did write something nexus skipped (`what` names it).
    case unusableAnswer(module: String, method: String, seconds: Double, what: String, log: String? = nil)
    case frameTooLarge(module: String, limit: Int)
    case rpcError(module: String, method: String, code: Int, message: String)
    /// A modern (2026-07-28) server refused the protocol version asked for; `supported` is what it offers.
    case versionRejected(module: String, method: String, supported: [String])
    case unsupportedProtocol(module: String, version: String, supported: [String])
    case badResponse(module: String, method: String, detail: String)
    case cancelled(module: String, method: String)
    case notConnected(module: String)

    public var module: String {
        switch self {
        case .exited(let m, _, _, _, _), .closedOutput(let m, _, _), .timeout(let m, _, _),
            .unusableAnswer(let m, _, _, _, _),
            .frameTooLarge(let m, _), .rpcError(let m, _, _, _),
            .versionRejected(let m, _, _), .unsupportedProtocol(let m, _, _), .badResponse(let m, _, _),
            .cancelled(let m, _), .notConnected(let m):
            m
        }
    }

    public var userMessage: String {
        switch self {
        case .exited(let m, let s, let d, let tail, _):
            "module \(m): process ended (\(s)) during \(d)"
                + (MCPCompatibility.knownProblem(stderr: tail).map { "; \($0)" } ?? "")
                + (tail.isEmpty ? "" : "; stderr: \(tail)")
        case .closedOutput(let m, let d, _):
            "module \(m) closed its output during \(d) while still running; its process was ended"
        case .timeout(let m, let method, let s): "module \(m): no answer to \(method) within \(Self.seconds(s))"
        case .unusableAnswer(let m, let method, let s, let what, _):
            "module \(m): answered \(method) with something nexus could not use (\(what)), and nothing usable within \(Self.seconds(s))"
        case .frameTooLarge(let m, let l):
            "module \(m): sent a message larger than \(l / (1 << 20)) MB on stdout; connection closed"
        case .rpcError(let m, let method, let c, let msg): "module \(m): \(method) failed: \(msg) (JSON-RPC error \(c))"
        case .versionRejected(let m, let method, let s):
            "module \(m): refused \(method) for its protocol version; it supports "
                + (s.isEmpty ? "none it named" : s.joined(separator: ", "))
        case .unsupportedProtocol(let m, let v, let s):
            "module \(m): speaks MCP protocol version \(v); nexus supports \(s.joined(separator: ", "))"
        case .badResponse(let m, let method, let d): "module \(m): malformed answer to \(method): \(d)"
        case .cancelled(let m, let method): "module \(m): \(method) was cancelled"
        case .notConnected(let m): "module \(m): not connected"
        }
    }

    public var hint: String? {
        switch self {
        case .exited(let m, _, _, let tail, _) where MCPCompatibility.knownProblem(stderr: tail) != nil:
            "reinstall the module into a venv with `pip install '<package>' 'mcp<2'`, then: nexus modules test \(m)"
        case .exited(let m, _, _, _, let log), .closedOutput(let m, _, let log),
            .unusableAnswer(let m, _, _, _, let log):
            (log.map { "see the module's log (\($0)) and run: " } ?? "run: ") + "nexus modules test \(m)"
        case .timeout: "the module may be stuck; it will be restarted on next use"
        case .unsupportedProtocol, .versionRejected:
            "install a version of the module built for an older MCP protocol, or upgrade nexus"
        case .frameTooLarge: "the module must send smaller results (page them)"
        default: nil
        }
    }

    /// Whether the connection is unusable after this error (the host restarts the process).
    public var isFatal: Bool {
        switch self {
        case .exited, .closedOutput, .frameTooLarge, .notConnected, .unsupportedProtocol: true
        default: false
        }
    }

    /// Whether the request ran out of time (the module may be stuck: the host checks it with a ping).
    public var isTimeout: Bool {
        switch self {
        case .timeout, .unusableAnswer: true
        default: false
        }
    }

    static func seconds(_ s: Double) -> String {
        s >= 1 ? "\(Int(s.rounded())) s" : "\(Int((s * 1000).rounded())) ms"
    }
}
