import Glibc
import NexusCore
import NexusPOSIX
import NexusTelemetry
import NexusTesting
import Testing

/// config/ as shipped: a real Prometheus scrapes a running session, promtool accepts the config and the
/// rules, and every series the Grafana dashboard queries exists on `/metrics` (issue 16 item 3).
///
/// These need Debian's `prometheus` package (`scripts/setup.sh --test` installs it). Without it they skip
/// with a message, except in CI (`CI` set), where a missing Prometheus fails them.
@Suite(.serialized) struct ShippedConfigSpecs {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static func tool(_ name: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/opt/prometheus"] where access(dir + "/" + name, X_OK) == 0 {
            return dir + "/" + name
        }
        return nil
    }

    /// The tool's path, or nil after saying why the test skips; in CI a missing tool is a failure.
    static func require(_ name: String) -> String? {
        if let path = tool(name) { return path }
        if getenv("CI") != nil {
            Issue.record("\(name) is not installed: CI must run this test (scripts/setup.sh --test installs it)")
        } else {
            print("skipped: \(name) is not installed (apt-get install prometheus, or scripts/setup.sh --test)")
        }
        return nil
    }

    @Test func promtoolAcceptsTheShippedConfigAndRules() throws {
        guard let promtool = Self.require("promtool") else { return }
        let config = Subprocess.run(
            [promtool, "check", "config", Self.root + "/config/prometheus/prometheus.yml"], environment: [:])
        #expect(config.status == 0, "\(config.stdout)\(config.stderr)")
        let rules = Subprocess.run(
            [promtool, "check", "rules", Self.root + "/config/prometheus/alerts.yml"], environment: [:])
        #expect(rules.status == 0, "\(rules.stdout)\(rules.stderr)")
        #expect(rules.stdout.contains("4 rules found"))
    }

    @Test func everySeriesTheDashboardQueriesExistsOnMetrics() throws {
        let text = try String(
            decoding: FileBytes.read(Self.root + "/config/grafana/dashboards/nexus.json"), as: UTF8.self)
        let dashboard = try JSONValue(parsing: text)
        let panels = dashboard["panels"]?.arrayValue ?? []
        #expect(panels.count == 8)
        let titles = panels.compactMap { $0["title"]?.stringValue }
        #expect(
            titles == [
                "Module Health Matrix", "LLM Usage by Provider", "Token Usage and Cost",
                "Module Execution Latency p50/p95/p99", "Evolution Progress", "Error Rates", "Active Modules",
                "Resource Usage per Module",
            ])
        var names: Set<String> = []
        for p in panels {
            for t in p["targets"]?.arrayValue ?? [] { names.formUnion(Self.seriesNames(t["expr"]?.stringValue ?? "")) }
        }
        #expect(names.count >= 8)
        let rendered = MetricsSample.everySeries().metrics.render()
        for name in names.sorted() {
            #expect(
                rendered.contains("\n" + name + "{") || rendered.hasPrefix(name + "{")
                    || rendered.contains("\n" + name + " "),
                "the dashboard queries \(name), which /metrics does not have")
        }
    }

    /// Metric names in a PromQL expression: `nexus_…` and `gen_ai_…` words.
    static func seriesNames(_ expr: String) -> Set<String> {
        var out: Set<String> = []
        var word = ""
        for ch in expr + " " {
            if ch.isLetter || ch.isNumber || ch == "_" {
                word.append(ch)
            } else {
                if word.hasPrefix("nexus_") || word.hasPrefix("gen_ai_") { out.insert(word) }
                word = ""
            }
        }
        return out
    }

    @Test func aRealPrometheusScrapesARunningSessionAndPromQLReturnsTheSeries() async throws {
        guard let prometheus = Self.require("prometheus") else { return }
        let h = try await AdminAPISpecs.Harness.start(steps: [.reply(text: "scraped", tokensIn: 12, tokensOut: 7)])
        defer { Task { await h.close() } }
        _ = await h.nexus.run("hello")
        let dir = TemporaryDirectory(prefix: "nexus-prometheus")
        defer { dir.remove() }
        let shipped = try String(
            decoding: FileBytes.read(Self.root + "/config/prometheus/prometheus.yml"), as: UTF8.self)
        let config = shipped.replacingOccurrences("127.0.0.1:8003", "127.0.0.1:\(h.server.port)")
            .replacingOccurrences("scrape_interval: 15s", "scrape_interval: 1s")
        #expect(config.contains("127.0.0.1:\(h.server.port)"))
        _ = dir.write("prometheus.yml", config)
        _ = dir.write(
            "alerts.yml",
            String(decoding: try FileBytes.read(Self.root + "/config/prometheus/alerts.yml"), as: UTF8.self))
        let webPort = FreePort.loopback()
        let pid = try ChildProcess.spawn(
            [
                prometheus, "--config.file=\(dir.path)/prometheus.yml", "--storage.tsdb.path=\(dir.path)/data",
                "--web.listen-address=127.0.0.1:\(webPort)",
            ],
            SpawnOptions(
                stdin: .null, stdout: .appending(path: dir.path + "/out.log"),
                stderr: .appending(path: dir.path + "/out.log")))
        defer {
            kill(pid, SIGTERM)
            _ = ChildProcess.reap(pid, within: 10)
        }
        let api = RawHTTP(port: webPort)
        var body = ""
        for _ in 0..<120 {
            if let r = api.send("GET", "/api/v1/query?query=nexus_llm_requests_total"), r.status == 200,
                r.body.contains("\"provider\":\"fake\"")
            {
                body = r.body
                break
            }
            try await Task.sleep(nanoseconds: 250_000_000)
        }
        #expect(body.contains(#""task_type":"simple_query""#), "Prometheus never saw the series: \(body)")
        #expect(body.contains(#""job":"nexus""#))
        let up = api.send("GET", "/api/v1/query?query=up%7Bjob%3D%22nexus%22%7D")
        #expect(up?.body.contains(#""value":["#) == true && up?.body.contains(#","1"]"#) == true, "\(up?.body ?? "")")
        let rules = api.send("GET", "/api/v1/rules")
        #expect(rules?.body.contains("NexusBudgetOverrun") == true)
    }
}

/// A recorder that has seen one event of every kind metrics read: every series exists on its page.
enum MetricsSample {
    static func everySeries() -> EventMetricsRecorder {
        let r = EventMetricsRecorder()
        let call = ToolCall(id: "c1", name: "m.t", arguments: .object(JSONObject()))
        let kinds: [EventKind] = [
            .llmCall(
                LLMCallRecord(
                    taskType: "simple_query", provider: "p", model: "m", moduleContext: "mod", tier: "light",
                    tokensIn: 5, tokensOut: 3, latencyMs: 100, costUSD: 0.01, outcome: "ok", isLocal: false,
                    timeToFirstTokenMs: 20)),
            .nodeLeft(.executor, latencyMs: 3, detail: nil), .turnFinished(outcome: "ok", latencyMs: 200),
            .toolCall(call, module: "mod"),
            .toolResult(ToolResult(callID: "c1", name: "m.t", content: ""), latencyMs: 4),
            .moduleHealth(module: "mod", health: .healthy, reason: nil),
            .moduleResources(module: "mod", residentBytes: 1 << 20, cpuSeconds: 0.5),
            .sandboxRun(mode: "exec", outcome: "ok", latencyMs: 50),
            .egress(module: "mod", host: "h", verdict: "blocked"),
            .buildFinished(module: "mod", outcome: "installed", latencyMs: 1000),
            .audit(actor: "vault", action: "read", target: "mod/K"),
            .budget(scope: "daily", spentUSD: 1, capUSD: 2, action: "downgrade"),
        ]
        for k in kinds { r.record(Event(turnID: 1, kind: k)) }
        return r
    }
}

/// Reads a whole file for a test.
enum FileBytes {
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw NexusError("cannot open \(path)") }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = Glibc.read(fd, &buf, buf.count)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return out
    }
}

/// A loopback TCP port nobody listens on right now.
enum FreePort {
    static func loopback() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &a) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        return Int(UInt16(bigEndian: a.sin_port))
    }
}
