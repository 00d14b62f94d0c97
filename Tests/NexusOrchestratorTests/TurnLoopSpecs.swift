import NexusCore
import NexusOrchestrator
import NexusTesting
import Testing

/// The turn loop, specified in process: the real orchestrator and provider gateway, scripted providers,
/// tools and person. The same behaviours are exercised through the binary by the end-to-end tests.
@Suite struct TurnLoopSpecs {
    static func config(routing: String = "\"fake:m1\"", extra: String = "") -> String {
        """
        [providers.fake]
        kind = "openai"
        base_url = "http://127.0.0.1:9/v1"
        max_retries = 0

        [providers.backup]
        kind = "openai"
        base_url = "http://127.0.0.1:10/v1"
        max_retries = 0

        [routing]
        simple_query = \(routing)
        complex_reasoning = \(routing)
        code_generation = \(routing)
        \(extra)
        """
    }

    static func call(_ name: String, _ args: JSONValue = [:], id: String = "c1") -> ToolCall {
        ToolCall(id: id, name: name, arguments: args)
    }

    @Test func aPlainAnswerStreamsItsTokensAndFinishesOk() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "Paris is the capital.")])
        let nexus = try InProcessNexus(config: Self.config(), providers: [fake])
        let (outcome, events) = await nexus.run("what is the capital of France?")
        #expect(outcome == .done)
        let tokens = events.compactMap { if case .token(let t) = $0.kind { t } else { nil } }
        #expect(tokens.count > 1, "the reply arrives in pieces")
        #expect(tokens.joined() == "Paris is the capital.")
        #expect(events.contains { if case .final(let t) = $0.kind { t == "Paris is the capital." } else { false } })
        #expect(events.last.map { if case .turnFinished(let o, _) = $0.kind { o == "ok" } else { false } } == true)
        await nexus.close()
    }

    @Test func everyTurnWalksTheSevenNodesInOrder() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "hi")])
        let nexus = try InProcessNexus(config: Self.config(), providers: [fake])
        let (_, events) = await nexus.run("hello")
        let entered = events.compactMap { if case .nodeEntered(let n) = $0.kind { n } else { nil } }
        #expect(entered == [.input, .classifier, .tierRouter, .modelSelector, .toolPicker, .executor, .synthesis])
        await nexus.close()
    }

    @Test func aToolCallRunsAndItsResultGoesBackToTheModel() async throws {
        let fake = ScriptedProvider(
            name: "fake",
            steps: [
                .reply(text: "", toolCalls: [Self.call("lookup", ["q": "rain"])]),
                .reply(text: "It will rain."),
            ])
        let tools = ScriptedToolSource([
            .init(name: "lookup") { args in ("forecast for \(args["q"]?.stringValue ?? "?"): rain", false) }
        ])
        let nexus = try InProcessNexus(config: Self.config(), providers: [fake], tools: [tools])
        let (outcome, events) = await nexus.run("will it rain?")
        #expect(outcome == .done)
        #expect(tools.received.map(\.name) == ["lookup"])
        let second = try #require(fake.requests.dropFirst().first)
        let toolMessage = try #require(second.messages.last)
        #expect(toolMessage.role == .tool)
        #expect(toolMessage.content == "forecast for rain: rain")
        #expect(events.contains { if case .toolResult(let r, _) = $0.kind { !r.isError } else { false } })
        let stored = try nexus.history().map(\.role)
        #expect(stored == [.user, .assistant, .tool, .assistant], "the whole exchange is in the history")
        await nexus.close()
    }

    @Test func theModelIsToldWhenItCallsAToolThatDoesNotExist() async throws {
        let fake = ScriptedProvider(
            name: "fake",
            steps: [.reply(text: "", toolCalls: [Self.call("nope")]), .reply(text: "sorry")])
        let tools = ScriptedToolSource([.init(name: "real") { _ in ("x", false) }])
        let nexus = try InProcessNexus(config: Self.config(), providers: [fake], tools: [tools])
        let (outcome, _) = await nexus.run("do it")
        #expect(outcome == .done)
        let fed = try #require(fake.requests.last?.messages.last)
        #expect(fed.content.contains("unknown tool \"nope\""))
        #expect(fed.content.contains("real"), "the error lists the tools that exist")
        #expect(tools.received.isEmpty)
        await nexus.close()
    }

    @Test func aModelThatNeverStopsCallingToolsIsStoppedAtMaxToolSteps() async throws {
        let loop = (1...3).map { ScriptedProvider.Step.reply(text: "", toolCalls: [Self.call("t", id: "c\($0)")]) }
        let fake = ScriptedProvider(name: "fake", steps: loop)
        let tools = ScriptedToolSource([.init(name: "t") { _ in ("again", false) }])
        let nexus = try InProcessNexus(
            config: Self.config(extra: "[conversation]\nmax_tool_steps = 3"), providers: [fake], tools: [tools])
        let (outcome, events) = await nexus.run("loop forever")
        #expect(outcome == .failed(.failure), "no answer came: the turn fails instead of ending empty with 0")
        #expect(tools.received.count == 3)
        #expect(fake.remainingSteps == 0 && fake.requests.count == 3)
        let error = events.compactMap { if case .error(let m, let h) = $0.kind { (m, h ?? "") } else { nil } }.first
        #expect(
            error?.0.contains("stopped after 3 tool steps without an answer") == true, "\(String(describing: error))")
        #expect(error?.0.contains("last: t") == true)
        #expect(error?.1.contains("max_tool_steps") == true)
        #expect(events.contains { if case .turnFinished("error", _) = $0.kind { true } else { false } })
        await nexus.close()
    }

    @Test func aFailingModelFallsBackToTheNextInTheChainAndSaysSo() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.fail(.server(status: 503), message: "overloaded")])
        let backup = ScriptedProvider(name: "backup", steps: [.reply(text: "from the backup")])
        let nexus = try InProcessNexus(
            config: Self.config(routing: "[\"fake:m1\", \"backup:m2\"]"), providers: [fake, backup])
        let (outcome, events) = await nexus.run("hello there")
        #expect(outcome == .done)
        #expect(
            events.contains {
                if case .fallback(let from, let to, _) = $0.kind {
                    from.contains("fake") && to.contains("backup")
                } else {
                    false
                }
            })
        #expect(events.contains { if case .final(let t) = $0.kind { t == "from the backup" } else { false } })
        let calls = events.compactMap { if case .llmCall(let r) = $0.kind { r } else { nil } }
        #expect(calls.map(\.outcome).count == 2, "both attempts reach the ledger")
        await nexus.close()
    }

    @Test func whenEveryModelFailsTheTurnEndsInOneErrorWithAHint() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.fail(.unauthorized(envVar: "FAKE_KEY"), message: "401")])
        let nexus = try InProcessNexus(config: Self.config(), providers: [fake])
        let (outcome, events) = await nexus.run("hello")
        #expect(outcome == .failed(.failure))
        let errors = events.compactMap { if case .error(let m, let h) = $0.kind { (m, h) } else { nil } }
        #expect(errors.count == 1)
        #expect(errors.first?.1?.contains("FAKE_KEY") == true)
        #expect(events.last.map { if case .turnFinished(let o, _) = $0.kind { o == "error" } else { false } } == true)
        await nexus.close()
    }

    @Test func localOnlyNeverCallsARemoteModel() async throws {
        let remote = ScriptedProvider(name: "remote", isLocal: false, steps: [.reply(text: "leaked")])
        let config = """
            privacy = "local-only"
            [providers.remote]
            kind = "openai"
            base_url = "https://api.example.com/v1"
            [routing]
            simple_query = "remote:m"
            complex_reasoning = "remote:m"
            """
        let nexus = try InProcessNexus(config: config, providers: [remote])
        let (outcome, events) = await nexus.run("hello")
        #expect(outcome == .failed(.failure))
        #expect(remote.requests.isEmpty)
        #expect(events.contains { if case .error(let m, _) = $0.kind { m.contains("local-only") } else { false } })
        await nexus.close()
    }
}
