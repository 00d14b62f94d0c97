import NexusCore
import NexusLLM
import NexusStore
import NexusTesting
import Testing

@testable import NexusOrchestrator

private struct Refuse: ApprovalHandler {
    func decide(_ request: ApprovalRequest) async -> ApprovalDecision { .no }
}

/// Shared with SemanticToolRankingSpecs.
func tool(_ name: String, _ description: String) -> ToolDefinition {
    ToolDefinition(name: name, description: description)
}

let catalogue =
    (0..<40).map { tool("app\($0)__do_thing_\($0)", "Does thing number \($0) for app \($0).") } + [
        tool("calendar__list_events", "List events on a calendar between two dates."),
        tool("mail__send_email", "Send an email."),
    ]

private func ranking(_ url: String, store: ToolEmbeddingRepository? = nil, timeoutMs: Int = 100) -> SemanticToolRanking
{
    SemanticToolRanking(
        client: EmbeddingClient(api: .openAI, url: url, model: "bag-of-words"), store: store, queryTimeoutMs: timeoutMs)
}

@Test func anUnreachableEmbeddingServerFallsBackToLexicalWithOneNotice() async {
    let semantic = ranking("http://127.0.0.1:9/v1/embeddings")
    let picker = ToolRanking(semantic: semantic)
    let first = await picker.pick(catalogue, for: "send an email", k: 3)
    #expect(first.tools.first?.name == "mail__send_email")  // lexical while the tool vectors are computed
    await semantic.settled()  // ... which fails: the server is not there
    let second = await picker.pick(catalogue, for: "send an email", k: 3)
    let third = await picker.pick(catalogue, for: "send an email", k: 3)
    // The failure may already be known on the first turn (a refused connection is quick): one notice in all.
    let notices = [first, second, third].compactMap(\.notice)
    #expect(notices.count == 1)  // one notice a session, not one a turn
    #expect(notices.first?.contains("lexical only") == true)
    #expect(notices.first?.contains("127.0.0.1:9") == true)
    #expect(third.tools.first?.name == "mail__send_email")
}

@Test func aSlowEmbeddingServerCostsATurnAtMostTheQueryBudget() async throws {
    let server = try #require(EmbeddingTestServer(.slow))
    let picker = ToolRanking(semantic: ranking(server.openAIURL, timeoutMs: 100))
    // Tool vectors first (the slow server answers them, late), so the turn below does ask for its query's vector.
    let semanticHalf = try #require(picker.semantic)
    _ = semanticHalf.index(for: catalogue, signature: picker.lexical(catalogue).1)
    await semanticHalf.settled()
    let t0 = MonotonicClock.nanoseconds()
    let picked = await picker.pick(catalogue, for: "send an email", k: 3)
    let ms = MonotonicClock.millisSince(t0)
    #expect(picked.tools.first?.name == "mail__send_email")
    #expect(ms < 1_000, "the turn waited \(ms) ms on a server that answers after 2 s")
}

@Test func toolVectorsAreStoredOnceAndAnotherModelReEmbeds() async throws {
    let server = try #require(EmbeddingTestServer(.openai))
    let db = try Database(path: ":memory:")
    let store = ToolEmbeddingRepository(db: db)
    let semantic = ranking(server.openAIURL, store: store, timeoutMs: 2_000)
    let picker = ToolRanking(semantic: semantic)
    _ = await picker.pick(catalogue, for: "what is on my calendar", k: 3)
    await semantic.settled()
    #expect(try store.count(model: "bag-of-words") == catalogue.count)
    let hybrid = await picker.pick(catalogue, for: "list calendar events", k: 3)
    #expect(hybrid.mode == "hybrid")
    #expect(hybrid.tools.first?.name == "calendar__list_events")
    // Another model: nothing stored for it yet, so everything is embedded again, and the old rows go.
    let other = SemanticToolRanking(
        client: EmbeddingClient(api: .openAI, url: server.openAIURL, model: "other"), store: store,
        queryTimeoutMs: 2_000)
    _ = other.index(for: catalogue, signature: 1)
    await other.settled()
    #expect(try store.count(model: "other") == catalogue.count)
    #expect(try store.count(model: "bag-of-words") == 0)
}

@Test func searchToolsFindsToolsTheModelDescribesAndNamesThemForTheNextStep() async throws {
    let source = ScriptedToolSource(
        catalogue.map { t in ScriptedToolSource.Tool(name: t.name, description: t.description) { _ in ("ok", false) } })
    let search = ToolSearchSource(sources: [source], ranking: ToolRanking())
    let result = await search.call(
        ToolCall(id: "1", name: "search_tools", arguments: ["query": "send an email"]), approval: Refuse())
    #expect(!result.isError)
    #expect(ToolSearchSource.found(in: result).first == "mail__send_email")
    let empty = await search.call(
        ToolCall(id: "2", name: "search_tools", arguments: [:]), approval: Refuse())
    #expect(empty.isError)
    #expect(ToolSearchSource.found(in: empty).isEmpty)
}

@Test func toolsFoundBySearchToolsAreOfferedToTheModelOnTheNextStep() async throws {
    // 30 installed tools, a budget of 3: the SMS tool is not among the picks for this turn's words.
    var scripted = (0..<29).map { i in
        ScriptedToolSource.Tool(name: "app\(i)__weather_report_\(i)", description: "Weather report \(i).") { _ in
            ("ok", false)
        }
    }
    scripted.append(
        .init(name: "twilio__send_sms", description: "Send a text message to a phone number.") { _ in ("sent", false) })
    let tools = ScriptedToolSource(scripted)
    let fake = ScriptedProvider(
        name: "fake",
        steps: [
            .reply(
                text: "",
                toolCalls: [ToolCall(id: "s", name: "search_tools", arguments: ["query": "send a text message"])]),
            .reply(
                text: "",
                toolCalls: [ToolCall(id: "t", name: "twilio__send_sms", arguments: ["to": "+1", "body": "hi"])]),
            .reply(text: "Sent."),
        ])
    let config = """
        [providers.fake]
        kind = "openai"
        base_url = "http://127.0.0.1:9/v1"
        max_retries = 0

        [routing]
        simple_query = "fake:m1"
        complex_reasoning = "fake:m1"

        [modules]
        max_tools_per_turn = 3
        """
    let nexus = try InProcessNexus(config: config, providers: [fake], tools: [tools])
    let (outcome, _) = await nexus.run("weather report for the trip please")
    #expect(outcome == .done)
    let offered = fake.requests.map { $0.tools.map(\.name) }
    #expect(offered.count == 3)
    #expect(offered[0].contains("search_tools"))
    #expect(!offered[0].contains("twilio__send_sms"))
    #expect(offered[1].contains("twilio__send_sms"))
    #expect(tools.received.map(\.name) == ["twilio__send_sms"])
    await nexus.close()
}

@Test func embeddingsConfigIsReadAndAnOutOfRangeTimeoutIsNamed() throws {
    let loaded = try ConfigLoader.load(
        text: """
            [embeddings]
            api = "ollama"
            url = "http://127.0.0.1:11434/api/embed"
            model = "nomic-embed-text"
            query_timeout_ms = 80
            """, file: "nexus.toml", environment: [:])
    #expect(loaded.config.embeddings.api == "ollama")
    #expect(loaded.config.embeddings.enabled)
    #expect(loaded.config.embeddings.queryTimeoutMs == 80)
    #expect(ConfigLoader.render(loaded.config).contains("model = \"nomic-embed-text\""))
    #expect(throws: (any Error).self) {
        try ConfigLoader.load(text: "[embeddings]\nquery_timeout_ms = 5000\n", file: "nexus.toml", environment: [:])
    }
}

@Test func aLocalModelOnTheJSONReActPathCanCallSearchToolsAndThenAToolItFound() {
    let offered = [tool("app0__weather_report", "Weather report."), ToolSearchSource.definition]
    let prompt = ReActProtocol.systemPrompt(tools: offered)
    #expect(prompt.contains("- search_tools: Find more tools"))
    let search = ReActProtocol.parse(
        #"{"tool": "search_tools", "arguments": {"query": "send a text message"}}"#, tools: offered, callID: "1")
    guard case .success(.toolCall(let call)) = search else {
        Issue.record("search_tools was not read as a call: \(search)")
        return
    }
    #expect(call.arguments["query"]?.stringValue == "send a text message")
    // Before the search the SMS tool is unknown; once widened, the same reply is a valid call.
    let sms = #"{"tool": "twilio__send_sms", "arguments": {"to": "+1", "body": "hi"}}"#
    guard case .failure = ReActProtocol.parse(sms, tools: offered, callID: "2") else {
        Issue.record("an unoffered tool was accepted")
        return
    }
    let widened = offered + [tool("twilio__send_sms", "Send a text message.")]
    guard case .success(.toolCall(let c)) = ReActProtocol.parse(sms, tools: widened, callID: "2") else {
        Issue.record("the found tool was not callable after widening")
        return
    }
    #expect(c.name == "twilio__send_sms")
}

@Test func anEmbeddingServerAnsweringAHugeVectorAtOnceCostsATurnAtMostTheQueryBudget() async throws {
    // The attack: 32 MB of valid JSON, sent at once. Parsing it took seconds, and the turn waited for it.
    let server = try #require(EmbeddingTestServer(.huge))
    let semantic = ranking(server.openAIURL, timeoutMs: 100)
    let t0 = MonotonicClock.nanoseconds()
    let vector = await semantic.queryVectors("send an email", privacy: .open)
    let ms = MonotonicClock.millisSince(t0)
    #expect(throws: (any Error).self) { try vector.get() }
    #expect(ms < 400, "the turn waited \(ms) ms on a 100 ms query budget")
}
