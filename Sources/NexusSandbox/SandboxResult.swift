import NexusCore

/// The structured outcome of one sandbox run: how the command ended, which limit it hit, its bounded
/// and redacted output, what it tried on the network, how long it took and how much memory it used.
/// Written as JSON by `nexus sandbox exec --result-json PATH` for the parent nexus to read.
public struct SandboxResult: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        case exited
        case signaled
        case timeout
        case setupFailed = "setup_failed"
        case notRunnable = "not_runnable"
    }

    public var mode: SandboxMode
    public var tier: String
    /// Ran with less isolation than the mode asks for (tier C with `allow_degraded`).
    public var degraded: Bool
    /// The isolation layers the run lacked (empty unless degraded), e.g. ["landlock"].
    public var missingLayers: [String] = []
    public var outcome: Outcome
    public var exitCode: Int?
    public var signal: Int?
    /// "timeout", "memory", "cpu", "file_size", "processes", "open_files" — or nil.
    public var limitHit: String?
    /// The limit by name and size, for people: "memory limit (512 MB)", "cpu time limit (5 s)",
    /// "wall-clock timeout (30 s)", "file size limit (64 MB)", "process limit (128)".
    public var limitMessage: String?
    public var stdout: String
    public var stderr: String
    public var stdoutBytes: Int
    public var stderrBytes: Int
    public var network: [NetworkRecord]
    /// Requests left out of `network` past the proxy's cap (every one is in the audit log), and how many of those
    /// were refused: `blocked_network` counts them too.
    public var networkOmitted = 0
    public var blockedNetworkOmitted = 0
    public var durationMs: Double
    public var peakMemoryBytes: Int?
    /// Setup failure or not-runnable reason.
    public var error: String?
    /// The jailer was asked to stop (SIGTERM, SIGINT, SIGHUP: a module host stopping its module at the end of a
    /// session): the run ended as asked, not because the command failed. Its audit record says `stopped`.
    public var stopRequested = false

    public init(mode: SandboxMode, tier: String, degraded: Bool, outcome: Outcome) {
        self.mode = mode
        self.tier = tier
        self.degraded = degraded
        self.outcome = outcome
        stdout = ""
        stderr = ""
        stdoutBytes = 0
        stderrBytes = 0
        network = []
        durationMs = 0
    }

    /// Requests the egress proxy refused.
    public var blockedNetwork: [NetworkRecord] { network.filter { $0.verdict == .blocked } }

    /// The exit status `nexus sandbox exec` itself ends with: the command's, 128+signal, 124 on timeout.
    public var processExitStatus: Int32 {
        switch outcome {
        case .exited: Int32(exitCode ?? 1)
        case .signaled: Int32(128 + (signal ?? 9))
        case .timeout: 124
        case .notRunnable: 127
        case .setupFailed: 125
        }
    }

    public var json: JSONValue {
        var o = JSONObject()
        o["mode"] = .string(mode.rawValue)
        o["tier"] = .string(tier)
        o["degraded"] = .bool(degraded)
        o["missing_layers"] = .array(missingLayers.map { .string($0) })
        o["outcome"] = .string(outcome.rawValue)
        o["exit_code"] = exitCode.map { .number(Double($0)) } ?? .null
        o["signal"] = signal.map { .number(Double($0)) } ?? .null
        o["limit_hit"] = limitHit.map { .string($0) } ?? .null
        o["limit_message"] = limitMessage.map { .string($0) } ?? .null
        o["stdout"] = .string(stdout)
        o["stderr"] = .string(stderr)
        o["stdout_bytes"] = .number(Double(stdoutBytes))
        o["stderr_bytes"] = .number(Double(stderrBytes))
        o["network"] = .array(network.map(\.json))
        o["network_omitted"] = .number(Double(networkOmitted))
        o["blocked_network"] = .number(Double(blockedNetwork.count + blockedNetworkOmitted))
        o["duration_ms"] = .number((durationMs * 10).rounded() / 10)
        o["peak_memory_bytes"] = peakMemoryBytes.map { .number(Double($0)) } ?? .null
        o["error"] = error.map { .string($0) } ?? .null
        return .object(o)
    }

    /// Reads a result written by `json` (the parent nexus side).
    public init?(json v: JSONValue) {
        guard let m = v["mode"]?.stringValue.flatMap(SandboxMode.init(rawValue:)),
            let o = v["outcome"]?.stringValue.flatMap(Outcome.init(rawValue:))
        else { return nil }
        self.init(mode: m, tier: v["tier"]?.stringValue ?? "?", degraded: v["degraded"]?.boolValue ?? false, outcome: o)
        missingLayers = (v["missing_layers"]?.arrayValue ?? []).compactMap(\.stringValue)
        exitCode = v["exit_code"]?.intValue
        signal = v["signal"]?.intValue
        limitHit = v["limit_hit"]?.stringValue
        limitMessage = v["limit_message"]?.stringValue
        stdout = v["stdout"]?.stringValue ?? ""
        stderr = v["stderr"]?.stringValue ?? ""
        stdoutBytes = v["stdout_bytes"]?.intValue ?? 0
        stderrBytes = v["stderr_bytes"]?.intValue ?? 0
        network = (v["network"]?.arrayValue ?? []).compactMap(NetworkRecord.init(json:))
        networkOmitted = v["network_omitted"]?.intValue ?? 0
        blockedNetworkOmitted = max(0, (v["blocked_network"]?.intValue ?? 0) - blockedNetwork.count)
        durationMs = v["duration_ms"]?.doubleValue ?? 0
        peakMemoryBytes = v["peak_memory_bytes"]?.intValue
        error = v["error"]?.stringValue
    }
}

/// One request through the egress proxy, as logged to the audit log.
public struct NetworkRecord: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable { case allowed, blocked }
    public var host: String
    public var port: Int
    /// "CONNECT" for tunnels, the HTTP method otherwise.
    public var method: String
    /// Path for plain HTTP; nil for tunnels.
    public var path: String?
    public var verdict: Verdict
    public var reason: String?
    public var bytesUp: Int
    public var bytesDown: Int
    /// Wall-clock seconds since the epoch.
    public var time: Double

    public init(host: String, port: Int, method: String, path: String?, verdict: Verdict, reason: String?) {
        self.host = host
        self.port = port
        self.method = method
        self.path = path
        self.verdict = verdict
        self.reason = reason
        bytesUp = 0
        bytesDown = 0
        time = WallClock.now()
    }

    public var json: JSONValue {
        var o = JSONObject()
        o["host"] = .string(host)
        o["port"] = .number(Double(port))
        o["method"] = .string(method)
        o["path"] = path.map { .string($0) } ?? .null
        o["verdict"] = .string(verdict.rawValue)
        o["reason"] = reason.map { .string($0) } ?? .null
        o["bytes_up"] = .number(Double(bytesUp))
        o["bytes_down"] = .number(Double(bytesDown))
        o["time"] = .number(time)
        return .object(o)
    }

    public init?(json v: JSONValue) {
        guard let h = v["host"]?.stringValue, let p = v["port"]?.intValue, let m = v["method"]?.stringValue,
            let verdict = v["verdict"]?.stringValue.flatMap(Verdict.init(rawValue:))
        else { return nil }
        self.init(
            host: h, port: p, method: m, path: v["path"]?.stringValue, verdict: verdict,
            reason: v["reason"]?.stringValue)
        bytesUp = v["bytes_up"]?.intValue ?? 0
        bytesDown = v["bytes_down"]?.intValue ?? 0
        time = v["time"]?.doubleValue ?? 0
    }
}
