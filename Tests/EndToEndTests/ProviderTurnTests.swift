import NexusCore
import NexusStore
import NexusTesting
import Testing

/// `nexus -p` against the fake Anthropic, OpenAI, Gemini and Ollama servers over real loopback HTTP.
@Suite(.serialized) struct ProviderTurnEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-llm")

    /// A config routing every task to `fake:MODEL` of the given wire protocol, priced.
    func environment(for wire: FakeWireProtocol, server: FakeProviderServer, extraTOML: String = "") -> [String: String]
    {
        let keyEnv = wire == .ollama ? "" : "api_key_env = \"FAKE_API_KEY\"\n"
        let config = """
            [providers.fake]
            kind = "\(wire.rawValue)"
            base_url = "\(server.baseURL(for: wire))"
            \(keyEnv)max_retries = 3

            [routing]
            simple_query = "fake:fake-model"
            code_generation = "fake:fake-model"
            complex_reasoning = "fake:fake-model"

            [pricing."fake:fake-model"]
            input_per_mtok = 3.0
            output_per_mtok = 15.0
            \(extraTOML)
            """
        let path = dir.write("nexus-\(wire.rawValue).toml", config)
        return [
            "NEXUS_HOME": dir.path + "/home-\(wire.rawValue)", "NEXUS_CONFIG": path, "FAKE_API_KEY": "sk-test",
            "NO_COLOR": "1",
        ]
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func oneShotStreamsTheAnswerCallsABuiltinToolAndPricesTheCalls(_ wire: FakeWireProtocol) throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            .toolCall(name: "calc", arguments: #"{"expression":"6*7"}"#),
            .text("The answer ", "is 42."))
        let env = environment(for: wire, server: server)
        let r = NexusBinary.run(["-p", "what is 6*7?"], env: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "The answer is 42.\n")
        #expect(r.stderr.contains("calc"))
        #expect(server.violations.isEmpty, "tool call/result pairing: \(server.violations)")
        // The second request carried the tool's result back to the model.
        #expect(server.chatRequests.count == 2)
        #expect(server.chatRequests.last?.body.contains("42") == true)

        let cost = NexusBinary.run(["--plain"], stdin: "/cost\n", env: env)
        #expect(cost.stdout.contains("fake"), "cost: \(cost.stdout)")
        #expect(cost.stdout.contains("2 calls"))
        #expect(cost.stdout.contains("$0.0"), "priced from [pricing]: \(cost.stdout)")
    }

    /// llama.cpp's server sends no usage while streaming: the ledger keeps an estimate, marked as one.
    @Test func answerWithoutUsageIsLedgeredAsAnEstimate() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text("one", "two", "six", usage: nil))
        let env = environment(for: .openai, server: server)
        let r = NexusBinary.run(["-p", "count to three", "--json"], env: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let usage = r.stdout.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
            .first { $0["type"]?.stringValue == "usage" }
        #expect(usage?["tokens_estimated"] == .bool(true))
        #expect(usage?["tokens_out"] == .number(3))

        let cost = NexusBinary.run(["--plain"], stdin: "/cost\n", env: env)
        #expect(cost.stdout.contains("~3 out"), "cost: \(cost.stdout)")
        #expect(cost.stdout.contains("~ estimated"))
    }

    @Test func jsonOutputIsOneEventPerLineTypeFirst() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text("hello ", "world"))
        let r = NexusBinary.run(["-p", "hi", "--json"], env: environment(for: .openai, server: server))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let events = r.stdout.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
        #expect(events.count == r.stdout.split(separator: "\n").count, "every line is JSON")
        #expect(events.allSatisfy { $0.objectValue?.keys.first == "type" })
        let types = events.compactMap { $0["type"]?.stringValue }
        for t in ["token", "usage", "final", "node_entered", "node_left", "route"] {
            #expect(types.contains(t), "missing \(t) in \(types)")
        }
        let nodes = events.filter { $0["type"]?.stringValue == "node_left" }.compactMap { $0["node"]?.stringValue }
        #expect(
            nodes == ["input", "classifier", "tier_router", "model_selector", "tool_picker", "executor", "synthesis"])
        let usage = events.first { $0["type"]?.stringValue == "usage" }
        #expect(usage?["tokens_in"]?.intValue == 12)
        #expect(usage?["provider"]?.stringValue == "fake")
    }

    @Test func twoRateLimitsInARowStillGetAnAnswer() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(429, retryAfter: "0"), .error(429, retryAfter: "0"), .text("finally"))
        let r = NexusBinary.run(["-p", "hello"], env: environment(for: .anthropic, server: server))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "finally\n")
        #expect(r.stderr.contains("rate-limited"))
    }

    @Test(arguments: ["99999999999999999999", "1e30", "9223372036854775807"])
    func anAbsurdRetryAfterFailsTheTurnInsteadOfTheProcess(_ retryAfter: String) throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(429, retryAfter: retryAfter))
        let r = NexusBinary.run(["-p", "hello"], env: environment(for: .openai, server: server))
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("rate limited"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("over 100 years"), "stderr: \(r.stderr)")
    }

    @Test func failoverToTheNextModelIsAnnounced() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(401), .text("from the backup"))
        var env = environment(for: .openai, server: server)
        let path = dir.write(
            "failover.toml",
            """
            [providers.fake]
            kind = "openai"
            base_url = "\(server.baseURL(for: .openai))"
            api_key_env = "FAKE_API_KEY"

            [providers.backup]
            kind = "openai"
            base_url = "\(server.baseURL(for: .openai))"

            [routing]
            simple_query = ["fake:fake-model", "backup:fake-large"]
            """)
        env["NEXUS_CONFIG"] = path
        let r = NexusBinary.run(["-p", "hello"], env: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "from the backup\n")
        #expect(r.stderr.contains("falling back to backup:fake-large"), "stderr: \(r.stderr)")
    }

    @Test func unauthorizedNamesTheVariableToSet() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(401))
        let r = NexusBinary.run(["-p", "hello"], env: environment(for: .anthropic, server: server))
        #expect(r.status == 1)
        #expect(r.stderr.contains("FAKE_API_KEY"), "stderr: \(r.stderr)")
    }

    @Test func modelAssignmentAppliesToTheNextTurnAndSurvivesARestart() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.setRepeatLastReply(true)
        server.enqueue(.text("ok"))
        let env = environment(for: .openai, server: server)
        let first = NexusBinary.run(["--plain"], stdin: "/model simple_query fake:fake-large\nhello\n", env: env)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(server.chatRequests.last?.json?["model"]?.stringValue == "fake-large")
        let again = NexusBinary.run(["-p", "hello again"], env: env)
        #expect(again.status == 0)
        #expect(server.chatRequests.last?.json?["model"]?.stringValue == "fake-large")
        let reset = NexusBinary.run(["--plain"], stdin: "/model --reset simple_query\nhi\n", env: env)
        #expect(reset.status == 0)
        #expect(server.chatRequests.last?.json?["model"]?.stringValue == "fake-model")
    }

    @Test func aRouteForAnUnnamedOrMisspeltTaskTypeIsRefusedNotStored() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let env = environment(for: .openai, server: server)
        for name in ["", "Code Generation", "code\ngeneration"] {
            let r = NexusBinary.run(["route", "set", name, "fake:fake-large"], env: env)
            #expect(r.status == 2, "route set \(name.debugDescription): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("is not a task type name"))
        }
        let typo = NexusBinary.run(["route", "reset", "simple_qeury"], env: env)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean simple_query?"), "stderr: \(typo.stderr)")
        let slash = NexusBinary.run(["--plain"], stdin: "/model --reset simple_qeury\n", env: env)
        #expect(
            slash.stdout.contains("did you mean simple_query?") || slash.stderr.contains("did you mean simple_query?"))
        #expect(!slash.stdout.contains("follows nexus.toml again"))
        let table = NexusBinary.run(["route"], env: env)
        #expect(!table.stdout.contains("fake-large"), "nothing was stored: \(table.stdout)")
    }

    @Test func localOnlyPrivacyRefusesARemoteProvider() throws {
        try #require(NexusBinary.exists)
        let config = dir.write(
            "remote.toml",
            """
            privacy = "local-only"
            [providers.cloud]
            kind = "anthropic"
            base_url = "https://api.anthropic.invalid"
            [routing]
            simple_query = "cloud:claude-sonnet-4-5"
            """)
        let r = NexusBinary.run(
            ["-p", "hello"], env: ["NEXUS_HOME": dir.path + "/home-privacy", "NEXUS_CONFIG": config])
        #expect(r.status == 1)
        #expect(r.stderr.contains("local-only"), "stderr: \(r.stderr)")
    }

    @Test func badConfigExitsTwoWithTheLineNumber() throws {
        try #require(NexusBinary.exists)
        let config = dir.write("bad.toml", "[routing]\n\ncode_generation = 12\n")
        let r = NexusBinary.run(["-p", "hello"], env: ["NEXUS_HOME": dir.path + "/home-bad", "NEXUS_CONFIG": config])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.toml:3: routing.code_generation"), "stderr: \(r.stderr)")
    }

    @Test func routingToAnUnknownProviderExitsTwo() throws {
        try #require(NexusBinary.exists)
        let config = dir.write("unknown.toml", "[providers.a]\nkind = \"openai\"\n[routing]\nsimple_query = \"b:m\"\n")
        let r = NexusBinary.run(["-p", "hi"], env: ["NEXUS_HOME": dir.path + "/home-unk", "NEXUS_CONFIG": config])
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown.toml:4"), "stderr: \(r.stderr)")
    }

    @Test func modelWithoutNativeToolsUsesRepairedJSONReAct() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            .text("```json\n{'tool': 'calc', 'arguments': {'expression': '2+2',},}\n```"),
            .text("not json at all {"),
            .text(#"{"final": "2+2 is 4."}"#))
        var env = environment(for: .openai, server: server)
        let path = dir.write(
            "react.toml",
            """
            [providers.fake]
            kind = "openai"
            base_url = "\(server.baseURL(for: .openai))"
            native_tools = false
            [routing]
            simple_query = "fake:fake-model"
            """)
        env["NEXUS_CONFIG"] = path
        let r = NexusBinary.run(["-p", "what is 2+2"], env: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "2+2 is 4.\n")
        #expect(r.stderr.contains("calc"), "the repaired call ran: \(r.stderr)")
        #expect(server.chatRequests.first?.json?["tools"] == nil, "no native tools are sent")
        #expect(server.chatRequests.dropFirst().first?.body.contains("returned") == true)
    }

    @Test func noProviderExplainsHowToConfigureOne() throws {
        try #require(NexusBinary.exists)
        // The local default on a port nothing listens on is the only provider (not whatever listens on :8080).
        let config = try LocalDefaultOnAFreePort.config(in: dir, name: "nexus-none.toml")
        let r = NexusBinary.run(["-p", "hello"], env: ["NEXUS_HOME": dir.path + "/home-none", "NEXUS_CONFIG": config])
        #expect(r.status == 1)
        #expect(r.stderr.contains("make run") || r.stderr.contains("ANTHROPIC_API_KEY"), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal"))
    }
}
