import CoreMetrics
import NexusCore
import NexusPOSIX
import NexusTelemetry
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `/metrics` as Prometheus reads it (issue 16): the page parses as format 0.0.4, holds exactly the samples an
/// independent reference computes from the same events, passes `promtool check metrics`, and stays valid
/// whatever names and label values hostile modules or swift-metrics callers choose.
struct MetricsExpositionTests {
    /// Expected samples, computed from events by the rules docs/observability.md states, not by the recorder.
    struct Reference {
        var samples: [ExpositionPage.Sample: Double] = [:]
        static let fast: [Double] = [0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10, 30]
        static let slow: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

        mutating func add(_ name: String, _ labels: [String: String], _ v: Double) {
            samples[.init(name: name, labels: labels), default: 0] += v
        }
        mutating func set(_ name: String, _ labels: [String: String], _ v: Double) {
            samples[.init(name: name, labels: labels)] = v
        }
        mutating func observe(_ name: String, _ labels: [String: String], _ bounds: [Double], _ v: Double) {
            for b in bounds + [.infinity] {
                var l = labels
                l["le"] = b == .infinity ? "+Inf" : b.description
                add(name + "_bucket", l, v <= b ? 1 : 0)
            }
            add(name + "_sum", labels, v)
            add(name + "_count", labels, 1)
        }
    }

    /// A deterministic stream of `modules` modules' events (health, resources with a restart, calls that
    /// succeed and fail, egress, model calls), and the reference's samples for it.
    static func scenario(modules: Int) -> ([EventKind], Reference) {
        var kinds: [EventKind] = []
        var ref = Reference()
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let healths: [(ModuleHealth, Double)] = [(.healthy, 0), (.degraded, 1), (.failing, 2), (.disabled, 3)]
        for i in 0..<modules {
            let m = "mod-\(i)"
            let (h, hv) = healths[next(4)]
            kinds.append(.moduleHealth(module: m, health: h, reason: nil))
            ref.set("nexus_module_health", ["module": m], hv)
            let cpu1 = Double(next(1000)) / 7
            let cpu2 = Double(next(1000)) / 3
            let rss = next(1 << 30)
            kinds.append(.moduleResources(module: m, residentBytes: 4096, cpuSeconds: cpu1))
            kinds.append(.moduleResources(module: m, residentBytes: rss, cpuSeconds: cpu2))
            ref.set("nexus_module_resident_memory_bytes", ["module": m], Double(rss))
            var cpu = 0.0
            if cpu1 > 0 { cpu += cpu1 }
            let delta = cpu2 >= cpu1 ? cpu2 - cpu1 : cpu2
            if delta > 0 { cpu += delta }
            if cpu > 0 { ref.set("nexus_module_cpu_seconds_total", ["module": m], cpu) }
            for c in 0..<(1 + next(3)) {
                let id = "\(m)#\(c)"
                let failed = next(4) == 0
                let ms = Double(next(40_000)) / 13
                kinds.append(.toolCall(ToolCall(id: id, name: m + ".t", arguments: .object(JSONObject())), module: m))
                kinds.append(
                    .toolResult(ToolResult(callID: id, name: m + ".t", content: "", isError: failed), latencyMs: ms))
                ref.add("nexus_module_calls_total", ["module": m, "outcome": failed ? "error" : "ok"], 1)
                ref.observe("nexus_module_call_duration_seconds", ["module": m], Reference.fast, ms / 1000)
            }
            let verdict = next(2) == 0 ? "allowed" : "blocked"
            kinds.append(.egress(module: m, host: "h\(i).example", verdict: verdict))
            ref.add("nexus_egress_requests_total", ["module": m, "verdict": verdict], 1)
        }
        for i in 0..<(modules / 2) {
            let provider = ["anthropic", "openai", "ollama"][next(3)]
            let ok = next(5) != 0
            let tokensIn = next(5000)
            let tokensOut = next(900)
            let ms = Double(next(90_000)) / 7
            let cost = Double(next(1000)) / 4096
            let module = i % 3 == 0 ? nil : "mod-\(i)"
            kinds.append(
                .llmCall(
                    LLMCallRecord(
                        taskType: "chat", provider: provider, model: "m1", moduleContext: module, tier: "heavy",
                        tokensIn: tokensIn, tokensOut: tokensOut, latencyMs: ms, costUSD: cost,
                        outcome: ok ? "ok" : "timeout", isLocal: false, timeToFirstTokenMs: nil)))
            let pm = ["provider": provider, "model": "m1"]
            ref.add(
                "nexus_llm_requests_total",
                pm.merging(["task_type": "chat", "outcome": ok ? "ok" : "timeout"]) { a, _ in a }, 1)
            ref.add("nexus_llm_tokens_total", pm.merging(["direction": "input"]) { a, _ in a }, Double(tokensIn))
            ref.add("nexus_llm_tokens_total", pm.merging(["direction": "output"]) { a, _ in a }, Double(tokensOut))
            if cost > 0 {
                ref.add("nexus_llm_cost_usd_total", pm.merging(["module": module ?? "none"]) { a, _ in a }, cost)
            }
            ref.observe("nexus_llm_request_duration_seconds", pm, Reference.slow, ms / 1000)
            let genAI = [
                "gen_ai_operation_name": "chat", "gen_ai_provider_name": provider, "gen_ai_request_model": "m1",
            ]
            let genAIBounds = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]
            ref.observe(
                "gen_ai_client_operation_duration_seconds",
                genAI.merging(["error_type": ok ? "" : "timeout"]) { a, _ in a },
                genAIBounds, ms / 1000)
            if ok {
                let tokenBounds = (0..<14).map { Double(1 << (2 * $0)) }
                for (type, n) in [("input", tokensIn), ("output", tokensOut)] {
                    ref.observe(
                        "gen_ai_client_token_usage", genAI.merging(["gen_ai_token_type": type]) { a, _ in a },
                        tokenBounds,
                        Double(n))
                }
            }
        }
        return (kinds, ref)
    }

    /// Bucket bounds compared as numbers (`1` and `1.0` are one bound to Prometheus).
    static func normalized(_ samples: [ExpositionPage.Sample: Double]) -> [ExpositionPage.Sample: Double] {
        var out: [ExpositionPage.Sample: Double] = [:]
        for (s, v) in samples {
            var s = s
            if let le = s.labels["le"], let b = ExpositionPage.number(le) {
                s.labels["le"] = b == .infinity ? "+Inf" : b.description
            }
            out[s] = v
        }
        return out
    }

    @Test func thePageHoldsExactlyTheSamplesAReferenceComputesFromTheSameEvents() async throws {
        let (kinds, reference) = Self.scenario(modules: 300)
        let recorder = EventMetricsRecorder()
        let text = await EventMetricsRecorderTests.render(kinds, recorder: recorder)
        let page = try ExpositionPage(Array(text.utf8))
        let got = Self.normalized(page.samples)
        let want = Self.normalized(reference.samples)
        let missing = want.filter { got[$0.key] != $0.value }.map {
            "\($0.key) want \($0.value) got \(got[$0.key] ?? .nan)"
        }
        let extra = got.keys.filter { want[$0] == nil }.map { "\($0)" }
        #expect(missing.isEmpty, "\(missing.count) samples differ: \(missing.prefix(5))")
        #expect(extra.isEmpty, "\(extra.count) samples the reference does not have: \(extra.prefix(5))")
        #expect(got.count > 5000)
        #expect(page.types["nexus_module_call_duration_seconds"] == "histogram")
        #expect(page.types["nexus_module_health"] == "gauge")
        #expect(page.types["nexus_module_calls_total"] == "counter")
        #expect(page.help["nexus_module_health"]?.contains("0 healthy") == true)
    }

    @Test func theOpenTelemetryGenAIHistogramsAreOnThePage() async throws {
        let text = await EventMetricsRecorderTests.render([EventMetricsRecorderTests.call()])
        let page = try ExpositionPage(Array(text.utf8))
        #expect(page.types["gen_ai_client_token_usage"] == "histogram")
        #expect(page.types["gen_ai_client_operation_duration_seconds"] == "histogram")
        #expect(page.help["gen_ai_client_token_usage"]?.contains("gen_ai.client.token.usage") == true)
        #expect(
            page.help["gen_ai_client_operation_duration_seconds"]?.contains("gen_ai.client.operation.duration") == true)
    }

    static let hostile = [
        "evil\"} 1\nnexus_fake 9", #"back\slash\"#, "new\nline", "üñí©ødé 模块 🚀", "", "\\\"\n",
        String(repeating: "\"", count: 300),
    ]

    @Test func hostileLabelValuesAreEscapedAndReadBackUnchanged() throws {
        let metrics = NexusMetrics()
        for (i, v) in Self.hostile.enumerated() {
            metrics.increment("nexus_module_calls_total", [("module", v), ("outcome", "ok")], by: i + 1)
            metrics.observe("nexus_module_call_duration_seconds", [("module", v)], 0.003)
            metrics.set("nexus_module_health", [("module", v)], 2)
        }
        let page = try ExpositionPage(metrics.renderBytes())
        for (i, v) in Self.hostile.enumerated() {
            #expect(
                page.samples[.init(name: "nexus_module_calls_total", labels: ["module": v, "outcome": "ok"])]
                    == Double(i + 1))
            #expect(page.samples[.init(name: "nexus_module_health", labels: ["module": v])] == 2)
            #expect(
                page.samples[
                    .init(name: "nexus_module_call_duration_seconds_bucket", labels: ["module": v, "le": "0.005"])] == 1
            )
        }
        #expect(page.samples.keys.allSatisfy { $0.name != "nexus_fake" })
    }

    @Test func hostileModuleNamesThroughTheRecorderBecomePrintableLabels() async throws {
        var kinds: [EventKind] = []
        for (i, m) in Self.hostile.enumerated() {
            kinds.append(.moduleHealth(module: m, health: .failing, reason: nil))
            kinds.append(.egress(module: m, host: "h", verdict: i % 2 == 0 ? "allowed" : "blocked\n\""))
        }
        let text = await EventMetricsRecorderTests.render(kinds)
        let page = try ExpositionPage(Array(text.utf8))
        let modules = page.samples.keys.compactMap { $0.labels["module"] }
        #expect(modules.count >= Self.hostile.count)
        for m in modules {
            #expect(m.utf8.count <= 64 && !m.contains("\"") && !m.contains("\n") && !m.contains("\\"), "\(m)")
        }
        #expect(!text.contains("\nnexus_fake"))
    }

    @Test func aThousandAndMoreModulesHitTheLabelBoundAsBefore() async throws {
        var kinds: [EventKind] = []
        for i in 0..<1100 {
            kinds.append(.moduleHealth(module: "m\(i)", health: .healthy, reason: nil))
            kinds.append(.egress(module: "m\(i)", host: "h", verdict: "allowed"))
        }
        let recorder = EventMetricsRecorder()
        let text = await EventMetricsRecorderTests.render(kinds, recorder: recorder)
        let page = try ExpositionPage(Array(text.utf8))
        let health = page.samples.filter { $0.key.name == "nexus_module_health" }
        #expect(health.count == 1025)
        #expect(health[.init(name: "nexus_module_health", labels: ["module": "m1023"])] == 0)
        #expect(health[.init(name: "nexus_module_health", labels: ["module": "m1024"])] == nil)
        let egress = ExpositionPage.Sample(
            name: "nexus_egress_requests_total", labels: ["module": "other", "verdict": "allowed"])
        #expect(page.samples[egress] == 76)
    }

    @Test func namesKindsAndValuesNoBackendWouldAcceptNeverCrashIt() throws {
        let store = SeriesStore()
        let factory = StoreMetricsFactory(store: store, buckets: ["h": [1, 0.5, .nan, 1, .infinity]])
        Counter(label: "9 bad-name.x", dimensions: [("bad key", "v"), ("bad key", "w")], factory: factory).increment(
            by: 2)
        Counter(label: "9 bad-name.x", dimensions: [("bad key", "v")], factory: factory).increment(by: -5)
        Meter(label: "9 bad-name.x_total", factory: factory).set(1)  // a counter's name: ignored
        Meter(label: "g", factory: factory).set(Double.nan)
        Meter(label: "g", dimensions: [("a", "1")], factory: factory).set(-2.5)
        Meter(label: "inf", factory: factory).set(Double.infinity)
        Recorder(label: "h", dimensions: [("le", "x")], factory: factory).record(0.7)
        Recorder(label: "h", dimensions: [("le", "x")], factory: factory).record(Double.nan)
        FloatingPointCounter(label: "f", factory: factory).increment(by: 0.1)
        FloatingPointCounter(label: "f", factory: factory).increment(by: 0.2)
        CoreMetrics.Timer(label: "t", factory: factory).recordNanoseconds(1_500_000_000)
        let page = try ExpositionPage(store.renderBytes())
        #expect(page.samples[.init(name: "_9_bad_name_x_total", labels: ["bad_key": "v"])] == 2)
        #expect(page.types["_9_bad_name_x_total"] == "counter")
        #expect(page.samples[.init(name: "g", labels: [:])] == 0)
        #expect(page.samples[.init(name: "g", labels: ["a": "1"])] == -2.5)
        #expect(page.samples[.init(name: "inf", labels: [:])] == .infinity)
        #expect(page.samples[.init(name: "h_bucket", labels: ["le_": "x", "le": "0.5"])] == 0)
        #expect(page.samples[.init(name: "h_bucket", labels: ["le_": "x", "le": "1.0"])] == 1)
        #expect(page.samples[.init(name: "h_count", labels: ["le_": "x"])] == 1)
        #expect(page.samples[.init(name: "f_total", labels: [:])] == 0.1 + 0.2)
        #expect(page.samples[.init(name: "t_sum", labels: [:])] == 1.5)
        #expect(page.samples[.init(name: "t_bucket", labels: ["le": "2.5"])] == 1)
    }

    @Test func scrapesDuringChangesEachGetAValidPageAndTheLastHasEveryChange() async throws {
        let metrics = NexusMetrics()
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<4 {
                group.addTask {
                    for i in 0..<2000 {
                        let m = "m\(i % 300)"
                        metrics.increment("nexus_module_calls_total", [("module", m), ("outcome", "ok")])
                        metrics.observe("nexus_module_call_duration_seconds", [("module", m)], Double(w) / 100)
                        metrics.set("nexus_module_health", [("module", m)], Double(w))
                    }
                }
            }
            group.addTask {
                var last = 0.0
                for _ in 0..<40 {
                    let page: ExpositionPage
                    do { page = try ExpositionPage(metrics.renderBytes()) } catch {
                        Issue.record("a page scraped during changes does not parse: \(error)")
                        return
                    }
                    let calls = page.samples.filter { $0.key.name == "nexus_module_calls_total" }.values.reduce(0, +)
                    #expect(calls >= last, "counters went back: \(calls) after \(last)")
                    last = calls
                }
            }
        }
        let page = try ExpositionPage(metrics.renderBytes())
        let calls = page.samples.filter { $0.key.name == "nexus_module_calls_total" }.values.reduce(0, +)
        let observed = page.samples.filter { $0.key.name == "nexus_module_call_duration_seconds_count" }.values
        #expect(calls == 8000)
        #expect(observed.reduce(0, +) == 8000)
    }

    @Test func everyDoubleIsWrittenSoItReadsBackExactly() throws {
        let values: [Double] = [
            0, -0.0, 0.1, 0.1 + 0.2, 1e-5, .leastNonzeroMagnitude, 1e15, 1e15 + 1, 123_456_789_012_345_680, 1e21, -3.75,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude, 2.5e-308, 0.012 * 3,
        ]
        let metrics = NexusMetrics()
        for (i, v) in values.enumerated() { metrics.set("nexus_budget_spent_usd", [("scope", "s\(i)")], v) }
        let page = try ExpositionPage(metrics.renderBytes())
        for (i, v) in values.enumerated() {
            #expect(page.samples[.init(name: "nexus_budget_spent_usd", labels: ["scope": "s\(i)"])] == v, "\(v)")
        }
    }

    static var promtool: String? {
        ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { access($0, X_OK) == 0 }
    }

    @Test(
        .enabled(
            if: promtool != nil || getenv("CI") != nil,
            "promtool is not installed: scripts/setup.sh --test installs Debian's prometheus package"))
    func promtoolAcceptsAPageOfEverySeriesAndHostileLabels() async throws {
        let promtool = try #require(Self.promtool, "promtool is required in CI")
        var (kinds, _) = Self.scenario(modules: 50)
        for m in Self.hostile { kinds.append(.moduleHealth(module: m, health: .healthy, reason: nil)) }
        kinds += [
            .nodeLeft(.classifier, latencyMs: 2, detail: nil), .turnFinished(outcome: "ok", latencyMs: 900),
            .sandboxRun(mode: "exec", outcome: "ok", latencyMs: 30),
            .buildFinished(module: "m", outcome: "installed", latencyMs: 4000),
            .audit(actor: "vault", action: "read", target: "x"),
            .budget(scope: "daily", spentUSD: 1, capUSD: 2, action: "stop"), EventMetricsRecorderTests.call(),
        ]
        let recorder = EventMetricsRecorder()
        _ = await EventMetricsRecorderTests.render(kinds, recorder: recorder)
        recorder.metrics.increment("nexus_module_calls_total", [("module", "q\"\\\n模块"), ("outcome", "ok")])
        let page = recorder.metrics.renderBytes()
        _ = try ExpositionPage(page)
        let r = Subprocess.run([promtool, "check", "metrics"], stdin: page, environment: [:], timeout: 60)
        #expect(r.status == 0, "promtool: \(r.stdout)\(r.stderr)")
    }
}
