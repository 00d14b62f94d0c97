import NexusCore
import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 16 through the built binary: traces reach a real OTLP/HTTP receiver, an unreachable collector
/// costs one warning and no time, the budget guard downgrades or stops a script with exit 3, and
/// `nexus budget` / `nexus audit` show what was spent and done.
@Suite(.serialized) struct ObservabilityEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-obs")

    func environment(_ server: FakeProviderServer, extra: String, name: String) -> [String: String] {
        let config = """
            [providers.fake]
            kind = "openai"
            base_url = "\(server.baseURL(for: .openai))"
            max_retries = 0

            [routing]
            simple_query = ["fake:fake-large", "fake:fake-model"]
            complex_reasoning = "fake:fake-model"
            code_generation = "fake:fake-large"

            [pricing."fake:fake-large"]
            input_per_mtok = 100000.0
            output_per_mtok = 100000.0

            [pricing."fake:fake-model"]
            input_per_mtok = 0.01
            output_per_mtok = 0.01
            \(extra)
            """
        let path = dir.write("\(name).toml", config)
        return ["NEXUS_HOME": dir.path + "/home-\(name)", "NEXUS_CONFIG": path, "NO_COLOR": "1"]
    }

    @Test func aTurnIsExportedAsOneTraceThatTheCollectorDecodes() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let receiver = try OTLPReceiver()
        defer { receiver.stop() }
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.toolCall(name: "calc", arguments: #"{"expression":"6*7"}"#), .text("It is ", "42."))
        let env = environment(
            server, extra: "[telemetry]\notlp_endpoint = \"\(receiver.endpoint)\"\nservice_name = \"nexus-e2e\"",
            name: "trace")
        let r = NexusBinary.run(["-p", "what is 6*7?"], env: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "It is 42.\n")
        let requests = receiver.requests()
        #expect(!requests.isEmpty && requests.allSatisfy(\.ok), "\(requests.compactMap(\.error))")
        #expect(requests.first?.resource?["service.name"]?.stringValue == "nexus-e2e")
        let spans = receiver.spans()
        let root = try #require(spans.first { $0.name == "invoke_agent nexus" })
        #expect(root.parentSpanID.isEmpty && root.int("nexus.turn") == 1)
        #expect(root.string("nexus.turn.outcome") == "ok")
        #expect(spans.allSatisfy { $0.traceID == root.traceID })
        let nodes = ["input", "classifier", "tier_router", "model_selector", "tool_picker", "executor", "synthesis"]
        for node in nodes {
            let span = try #require(spans.first { $0.name == node }, "no span for \(node)")
            #expect(span.parentSpanID == root.spanID)
        }
        let executor = try #require(spans.first { $0.name == "executor" })
        let chats = spans.filter { $0.name.hasPrefix("chat ") }
        #expect(chats.count == 2)
        for chat in chats {
            #expect(chat.parentSpanID == executor.spanID)
            #expect(chat.string("gen_ai.operation.name") == "chat" && chat.string("gen_ai.provider.name") == "fake")
            #expect(chat.string("gen_ai.request.model") != nil && (chat.int("gen_ai.usage.input_tokens") ?? 0) > 0)
            #expect(chat.string("nexus.task_type") != nil && chat.attributes["nexus.cost_usd"]?.doubleValue != nil)
        }
        let tool = try #require(spans.first { $0.name == "execute_tool calc" })
        #expect(tool.parentSpanID == executor.spanID && tool.string("gen_ai.tool.name") == "calc")
        #expect(spans.allSatisfy { $0.start <= $0.end && $0.start >= root.start })
    }

    @Test func anUnreachableCollectorCostsOneWarningAndTheTurnStillAnswers() throws {
        try #require(NexusBinary.exists)
        let probe = try OTLPReceiver()
        let endpoint = probe.endpoint
        probe.stop()
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text("fine"))
        let env = environment(
            server, extra: "[telemetry]\notlp_endpoint = \"\(endpoint)\"\ntimeout_seconds = 1", name: "unreachable")
        let start = MonotonicClock.nanoseconds()
        let r = NexusBinary.run(["-p", "hello"], env: env)
        let ms = MonotonicClock.millisSince(start)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "fine\n")
        let warnings = r.stderr.split(separator: "\n").filter { $0.contains("traces: could not export") }
        #expect(warnings.count == 1, "stderr: \(r.stderr)")
        #expect(ms < 5_000, "the run took \(ms) ms")
    }

    @Test func overTheCapTheChainStepsDownToTheCheaperModelAndSaysSo() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text("cheap"))
        let env = environment(server, extra: "[budget]\nper_turn_usd = 0.05", name: "downgrade")
        let r = NexusBinary.run(["-p", "hello"], env: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "cheap\n")
        #expect(r.stderr.contains("budget: fake:fake-large would go over the per-turn cap"), "stderr: \(r.stderr)")
        #expect(server.chatRequests.count == 1)
        #expect(server.chatRequests.first?.body.contains("\"fake-model\"") == true)
    }

    @Test func aScriptOverTheCapWithNothingCheaperStopsWithExitThree() throws {
        try #require(NexusBinary.exists)
        let fake = try #require(
            FakeProviderProcess.start(scriptJSON: #"{"replies": [{"text": ["never sent"]}]}"#, dir: dir),
            "nexus-fake-provider did not start (swift build builds it beside nexus)")
        defer { fake.stop() }
        let config =
            fake.config() + """

                [pricing."fake:fake-model"]
                input_per_mtok = 100000.0
                output_per_mtok = 100000.0

                [budget]
                daily_usd = 0.01
                """
        let env = [
            "NEXUS_HOME": dir.path + "/home-stop", "NEXUS_CONFIG": dir.write("stop.toml", config), "NO_COLOR": "1",
        ]
        let r = NexusBinary.run(["-p", "hello", "--approve", "no"], env: env)
        #expect(r.status == 3, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(r.stderr.contains("budget: fake:fake-model would cost about"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("daily cap"))
        #expect(r.stdout.isEmpty)
        // Piped line mode with no answer to give says no too.
        let piped = NexusBinary.run(["--plain"], stdin: "hello\n", env: env)
        #expect(piped.status == 3, "stdout: \(piped.stdout) stderr: \(piped.stderr)")

        let budget = NexusBinary.run(["budget"], env: env)
        #expect(budget.status == 0, "stderr: \(budget.stderr)")
        #expect(budget.stdout.contains("today (UTC)") && budget.stdout.contains("of $0.01"), "\(budget.stdout)")
    }

    @Test func auditShowsModuleLifecycleRows() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let env = environment(server, extra: "", name: "audit")
        let folder = dir.path + "/src-audited"
        _ = mkdir(folder, 0o755)
        _ = dir.write("src-audited/adapter.py", "print('x')\n")
        _ = dir.write("src-audited/test_adapter.py", "print('ok')\n")
        _ = dir.write(
            "src-audited/manifest.json",
            """
            {"name": "audited", "version": "1.0.0", "category": "testing", "description": "d",
             "entry_point": "adapter.py", "test_file": "test_adapter.py",
             "runtime": {"protocol": "mcp-stdio", "command": ["python3", "adapter.py"]}}
            """)
        _ = NexusBinary.run(["modules", "install", folder, "--yes"], env: env)
        _ = NexusBinary.run(["modules", "disable", "audited"], env: env)
        let r = NexusBinary.run(["audit", "--modules"], env: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("approve") && $0.contains("module/audited") }, "\(r.stdout)")
        #expect(lines.contains { $0.contains("install") && $0.contains("module/audited") && $0.contains("sha256") })
        #expect(lines.contains { $0.contains("disable") && $0.contains("module/audited") })
    }
}
