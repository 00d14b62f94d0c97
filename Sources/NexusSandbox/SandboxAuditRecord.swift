import NexusCore

/// One line of the sandbox audit log (`$NEXUS_HOME/logs/sandbox-audit.jsonl`): an egress decision of the
/// proxy, written the moment it is made, or the end of a `nexus sandbox exec` run.
///
/// Jailers of many modules append to the one file at once, so each line is built here to be at most
/// `maxLineBytes` (PIPE_BUF): one `write` with O_APPEND then lands whole, never interleaved. Every string is
/// cut and stripped of control characters before it is written, so whatever a module puts in a request
/// (its target, its host) cannot start a line of its own. The serving nexus reads lines back with `parse`,
/// which accepts only what this type writes.
public enum SandboxAuditRecord: Sendable, Equatable {
    /// The proxy decided one request of `module` (the jailer's `--label`; nil when run without one).
    case egress(module: String?, mode: String, host: String, port: Int, verdict: String)
    /// A `nexus sandbox exec` run ended: `ok`, `failed`, `timeout`, `killed` or `refused`.
    case run(module: String?, mode: String, outcome: String, durationMs: Double)

    /// PIPE_BUF on Linux: the largest write O_APPEND keeps in one piece against other appenders.
    public static let maxLineBytes = 4096
    static let kinds = (egress: "sandbox_egress", run: "sandbox_run")
    /// The outcomes a run record may carry (those of `EventKind.sandboxRun`).
    public static let runOutcomes: Set<String> = ["ok", "failed", "timeout", "killed", "stopped", "refused"]

    // MARK: Writing

    /// The line for one proxy decision, newline included.
    public static func egressLine(_ r: NetworkRecord, module: String?, mode: SandboxMode, command: String) -> [UInt8] {
        var o = JSONObject()
        o["kind"] = .string(kinds.egress)
        o["module"] = module.map { .string(clean($0, 128)) } ?? .null
        o["mode"] = .string(mode.rawValue)
        o["host"] = .string(clean(r.host, 300))
        o["port"] = .number(Double(r.port))
        o["method"] = .string(clean(r.method, 32))
        o["path"] = r.path.map { .string(clean($0, 512)) } ?? .null
        o["verdict"] = .string(r.verdict.rawValue)
        o["reason"] = r.reason.map { .string(clean($0, 512)) } ?? .null
        o["bytes_up"] = .number(Double(r.bytesUp))
        o["bytes_down"] = .number(Double(r.bytesDown))
        o["time"] = .number(r.time)
        o["command"] = .string(clean(command, 256))
        return bounded(o, droppable: ["path", "reason", "command"])
    }

    /// The line for one finished run, newline included.
    public static func runLine(
        module: String?, mode: String, outcome: String, exitStatus: Int32?, durationMs: Double, command: String,
        time: Double = WallClock.now()
    ) -> [UInt8] {
        var o = JSONObject()
        o["kind"] = .string(kinds.run)
        o["module"] = module.map { .string(clean($0, 128)) } ?? .null
        o["mode"] = .string(clean(mode, 32))
        o["outcome"] = .string(clean(outcome, 32))
        o["exit_status"] = exitStatus.map { .number(Double($0)) } ?? .null
        o["duration_ms"] = .number(durationMs.isFinite ? (durationMs * 10).rounded() / 10 : 0)
        o["time"] = .number(time)
        o["command"] = .string(clean(command, 256))
        return bounded(o, droppable: ["command"])
    }

    /// `o` serialized on one line; fields in `droppable` are emptied, in order, while it is too long.
    static func bounded(_ object: JSONObject, droppable: [String]) -> [UInt8] {
        var o = object
        var line = Array(JSONValue.object(o).serialized.utf8) + [10]
        for key in droppable where line.count > maxLineBytes {
            o[key] = .null
            line = Array(JSONValue.object(o).serialized.utf8) + [10]
        }
        return line
    }

    /// At most `limit` bytes of `s` (whole characters), each control character as `?`.
    static func clean(_ s: String, _ limit: Int) -> String {
        var out = ""
        var used = 0
        for ch in s.unicodeScalars {
            let c: Unicode.Scalar = ch.value < 0x20 || (0x7F...0x9F).contains(ch.value) ? "?" : ch
            used += String(c).utf8.count
            if used > limit { break }
            out.unicodeScalars.append(c)
        }
        return out
    }

    // MARK: Reading

    /// Why a line was skipped, for the one log line the reader writes.
    public struct Rejection: Error, Sendable, Equatable {
        public let reason: String
    }

    /// The record a line (without its newline) holds, or why it is not one this type writes.
    public static func parse(_ line: ArraySlice<UInt8>) -> Result<SandboxAuditRecord, Rejection> {
        guard line.count < maxLineBytes else {
            return .failure(Rejection(reason: "a line over \(maxLineBytes) bytes"))
        }
        let value: JSONValue
        do { value = try JSONValue(parsing: Array(line)) } catch {
            return .failure(Rejection(reason: "a line that is not JSON"))
        }
        guard case .object = value, let kind = value["kind"]?.stringValue else {
            return .failure(Rejection(reason: "a line with no \"kind\""))
        }
        let module: String?
        switch value["module"] {
        case nil, .null?: module = nil
        case .string(let m)?: module = m
        default: return .failure(Rejection(reason: "a line whose \"module\" is not a string"))
        }
        if let m = module, !printable(m, 128) { return .failure(Rejection(reason: "a line with a bad \"module\"")) }
        guard let mode = value["mode"]?.stringValue, SandboxMode(rawValue: mode) != nil else {
            return .failure(Rejection(reason: "a line with a bad \"mode\""))
        }
        switch kind {
        case kinds.egress:
            guard let host = value["host"]?.stringValue, printable(host, 300) else {
                return .failure(Rejection(reason: "a line with a bad \"host\""))
            }
            guard let verdict = value["verdict"]?.stringValue, NetworkRecord.Verdict(rawValue: verdict) != nil else {
                return .failure(Rejection(reason: "a line with a bad \"verdict\""))
            }
            let port = value["port"]?.intValue ?? 0
            return .success(.egress(module: module, mode: mode, host: host, port: port, verdict: verdict))
        case kinds.run:
            guard let outcome = value["outcome"]?.stringValue, runOutcomes.contains(outcome) else {
                return .failure(Rejection(reason: "a line with a bad \"outcome\""))
            }
            guard let ms = value["duration_ms"]?.doubleValue, ms.isFinite, ms >= 0 else {
                return .failure(Rejection(reason: "a line with a bad \"duration_ms\""))
            }
            return .success(.run(module: module, mode: mode, outcome: outcome, durationMs: ms))
        default:
            return .failure(Rejection(reason: "a line of unknown kind"))
        }
    }

    /// Non-empty, at most `limit` bytes, no control characters: what `clean` leaves.
    static func printable(_ s: String, _ limit: Int) -> Bool {
        !s.isEmpty && s.utf8.count <= limit
            && s.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) }
    }

    /// The event the serving session publishes for this record: a module's egress, or a run.
    public var event: EventKind {
        switch self {
        case .egress(let module, _, let host, _, let verdict):
            .egress(module: module ?? "none", host: host, verdict: verdict)
        case .run(_, let mode, let outcome, let ms):
            .sandboxRun(mode: mode, outcome: outcome, latencyMs: ms)
        }
    }

    /// The `.sandboxRun` outcome of a finished jailer run.
    public static func outcome(of r: SandboxResult) -> String {
        if r.stopRequested { return "stopped" }
        switch r.outcome {
        case .exited: return r.exitCode == 0 ? "ok" : "failed"
        case .signaled: return "killed"
        case .timeout: return "timeout"
        case .setupFailed: return "refused"
        case .notRunnable: return "failed"
        }
    }
}
