import NexusCore
import NexusPOSIX
import NexusStore
import Synchronization

/// A real OTLP/HTTP collector for tests: `testdata/otlp/otlp_receiver.py` on a free loopback port,
/// checking every request against OTLP's schema (and opentelemetry-proto's message type when installed)
/// and keeping what it decoded. Tests read back the spans as the collector saw them.
public final class OTLPReceiver: Sendable {
    public let port: Int
    public let pid: Int32
    let folder: TemporaryDirectory
    let out: String
    let stopped = Mutex(false)

    /// One decoded span as the receiver recorded it.
    public struct ReceivedSpan: Sendable {
        public var traceID: String
        public var spanID: String
        public var parentSpanID: String
        public var name: String
        public var kind: Int
        public var start: Double
        public var end: Double
        public var attributes: JSONValue
        public var events: [JSONValue]
        public var statusCode: Int

        public func string(_ key: String) -> String? { attributes[key]?.stringValue }
        public func int(_ key: String) -> Int? { attributes[key]?.intValue }
    }

    /// Starts the receiver; `status` is the HTTP status it answers, `delay` how long it waits first.
    public init(status: Int = 200, delaySeconds: Double = 0) throws {
        folder = TemporaryDirectory(prefix: "nexus-otlp")
        out = folder.path + "/received.jsonl"
        let portFile = folder.path + "/port"
        let script = Self.repositoryRoot + "/testdata/otlp/otlp_receiver.py"
        var options = SpawnOptions.silent
        options.searchPath = true
        pid = try ChildProcess.spawn(
            [Self.python, script, out, "--status", "\(status)", "--delay", "\(delaySeconds)", "--port-file", portFile],
            options)
        var found: Int?
        for _ in 0..<3_000 {
            // Not written yet: poll again.
            if let text = try? FileSystem.readText(portFile), let p = Int(text.trimmingSpaces) {
                found = p
                break
            }
            Pause.milliseconds(10)
        }
        guard let found else {
            _ = ProcessControl.send(.kill, to: pid)
            _ = ChildProcess.reap(pid, within: 1)
            throw NexusError("the OTLP receiver did not start (\(Self.python) \(script))")
        }
        port = found
    }

    deinit { stop() }

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Ends the receiver once (a second call does nothing: the pid may belong to someone else by then).
    public func stop() {
        guard
            stopped.withLock({ was in
                defer { was = true }
                return !was
            })
        else { return }
        // SIGKILL: the test runner's threads may block SIGTERM, and a spawned child inherits the mask. The
        // receiver has nothing to flush: each request's line is written before it answers.
        _ = ProcessControl.send(.kill, to: pid)
        _ = ChildProcess.reap(pid, within: 2)
        folder.remove()
    }

    /// Every request received so far: (ok, error or nil, resource attributes, spans).
    public func requests()
        -> [(ok: Bool, error: String?, validator: String?, resource: JSONValue?, spans: [ReceivedSpan])]
    {
        // Nothing received yet: no file. A line cut short by a receiver still writing is skipped.
        guard let text = try? FileSystem.readText(out) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let doc = try? JSONValue(parsing: String(line)) else { return nil }
            let spans = (doc["spans"]?.arrayValue ?? []).map { s in
                ReceivedSpan(
                    traceID: s["traceId"]?.stringValue ?? "", spanID: s["spanId"]?.stringValue ?? "",
                    parentSpanID: s["parentSpanId"]?.stringValue ?? "", name: s["name"]?.stringValue ?? "",
                    kind: s["kind"]?.intValue ?? -1, start: s["start"]?.doubleValue ?? 0,
                    end: s["end"]?.doubleValue ?? 0,
                    attributes: s["attributes"] ?? .null, events: s["events"]?.arrayValue ?? [],
                    statusCode: s["status"]?["code"]?.intValue ?? 0)
            }
            return (
                doc["ok"]?.boolValue ?? false, doc["error"]?.stringValue, doc["validator"]?.stringValue,
                doc["resource"], spans
            )
        }
    }

    /// Every span of every accepted request.
    public func spans() -> [ReceivedSpan] { requests().flatMap(\.spans) }

    /// The Python to run it with: `NEXUS_TEST_PYTHON`, else the test venv, else `python3`.
    static var python: String {
        if let p = ProcessInfoLite.environment("NEXUS_TEST_PYTHON"), !p.isEmpty { return p }
        let venv = repositoryRoot + "/.build/test-venv/bin/python3"
        return FileSystem.isExecutable(venv) ? venv : "python3"
    }

    static let repositoryRoot: String = {
        var path = #filePath
        for _ in 0..<3 {
            if let slash = path.lastIndex(of: "/") { path = String(path[..<slash]) }
        }
        return path
    }()
}

/// `getenv` without Foundation.
enum ProcessInfoLite {
    static func environment(_ name: String) -> String? {
        Environment.get(name)
    }
}
