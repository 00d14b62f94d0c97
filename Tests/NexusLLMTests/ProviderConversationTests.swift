import NexusCore
import NexusTesting
import Testing

@testable import NexusLLM

/// Each wire protocol, against the fake server over real loopback sockets: text streams, a tool call
/// goes out and its result comes back, usage is read from the protocol's own fields.
@Suite struct ProviderConversationTests {
    @Test(arguments: FakeWireProtocol.allCases)
    func streamsTextAndReportsUsage(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text("Hel", "lo, ", "world", usage: FakeUsage(input: 31, output: 4)))
        let provider = try makeProvider(wire, server: server)
        let c = await collect(provider.stream(ask("hi")))
        #expect(c.error == nil)
        #expect(c.text == "Hello, world")
        #expect(c.usage?.0 == 31)
        #expect(c.usage?.1 == 4)
        #expect(c.finish == "stop")
        // Text arrives as separate events, in order, before usage and finish.
        let texts = c.events.compactMap { if case .text(let t) = $0 { t } else { nil } }
        #expect(texts == ["Hel", "lo, ", "world"])
        if case .finish = c.events.last {} else { Issue.record("last event is not finish: \(c.events)") }
        let req = try #require(server.chatRequests.first)
        switch wire {
        case .openai:
            #expect(req.path == "/v1/chat/completions")
            #expect(req.header("authorization") == "Bearer test-key")
            #expect(req.json?["stream"] == true)
            #expect(req.json?["stream_options"]?["include_usage"] == true)
        case .anthropic:
            #expect(req.path == "/v1/messages")
            #expect(req.header("x-api-key") == "test-key")
            #expect(req.header("anthropic-version") == "2023-06-01")
            #expect(req.json?["system"]?.stringValue == "be brief")
        case .gemini:
            #expect(req.path == "/v1beta/models/fake-model:streamGenerateContent?alt=sse")
            #expect(req.header("x-goog-api-key") == "test-key")
            #expect(req.json?["systemInstruction"]?["parts"]?[0]?["text"]?.stringValue == "be brief")
        case .ollama:
            #expect(req.path == "/api/chat")
            #expect(req.json?["stream"] == true)
        }
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func toolCallGoesOutAndItsResultComesBack(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            .toolCall(name: "get_weather", arguments: #"{"city": "Paris", "units": "metric"}"#, id: "call_abc"),
            .text("It is sunny in Paris."))
        let provider = try makeProvider(wire, server: server)
        var request = ask("weather in Paris?", tools: [weatherTool])
        let first = await collect(provider.stream(request))
        #expect(first.error == nil)
        #expect(first.finish == "tool_calls")
        let call = try #require(first.toolCalls.first)
        #expect(first.toolCalls.count == 1)
        #expect(call.name == "get_weather")
        #expect(call.arguments == ["city": "Paris", "units": "metric"])
        #expect(first.usage?.0 == 20)

        // The tool definition went out in the protocol's shape.
        let sent = try #require(server.chatRequests.first?.json)
        switch wire {
        case .openai, .ollama: #expect(sent["tools"]?[0]?["function"]?["name"]?.stringValue == "get_weather")
        case .anthropic: #expect(sent["tools"]?[0]?["input_schema"]?["required"]?[0]?.stringValue == "city")
        case .gemini: #expect(sent["tools"]?[0]?["functionDeclarations"]?[0]?["name"]?.stringValue == "get_weather")
        }

        request.messages.append(.assistant(first.text, toolCalls: first.toolCalls))
        request.messages.append(.toolResult(ToolResult(callID: call.id, name: call.name, content: "sunny, 21 C")))
        let second = await collect(provider.stream(request))
        #expect(second.error == nil)
        #expect(second.text == "It is sunny in Paris.")
        #expect(server.violations.isEmpty, "\(server.violations)")
        // The result is in the second request, carried the protocol's way.
        let body = try #require(server.chatRequests.last?.body)
        #expect(body.contains("sunny, 21 C"))
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func forgettingTheToolResultIsReportedAsAViolation(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.toolCall(name: "get_weather", arguments: #"{"city":"Oslo"}"#), .text("ok"))
        let provider = try makeProvider(wire, server: server)
        _ = await collect(provider.stream(ask("weather?", tools: [weatherTool])))
        _ = await collect(provider.stream(ask("never mind")))
        #expect(server.violations.count == 1)
    }
}

@Suite struct GeminiWireTests {
    @Test func thoughtSignatureTravelsBackWithTheCall() throws {
        var decoder = GeminiStreamDecoder(provider: "g")
        var calls: [ToolCall] = []
        let chunk =
            #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Pisa"}},"thoughtSignature":"c2lnbmVk"}]},"finishReason":"STOP"}]}"#
        try decoder.decode(event: nil, payload: Array(chunk.utf8)) { if case .toolCall(let c) = $0 { calls.append(c) } }
        let call = try #require(calls.first)
        let body = GeminiWire.requestBody(
            LLMRequest(
                model: "gemini-2.5-flash",
                messages: [
                    .user("weather?"), .assistant("", toolCalls: [call]),
                    .toolResult(ToolResult(callID: call.id, name: call.name, content: "warm")),
                ]))
        let modelPart = body["contents"]?[1]?["parts"]?[0]
        #expect(modelPart?["thoughtSignature"]?.stringValue == "c2lnbmVk")
        #expect(modelPart?["functionCall"]?["id"] == nil)
        let response = body["contents"]?[2]?["parts"]?[0]?["functionResponse"]
        #expect(response?["name"]?.stringValue == "get_weather")
        #expect(response?["response"]?["output"]?.stringValue == "warm")
        #expect(response?["id"] == nil)
    }

    @Test func unsupportedSchemaKeywordsAreDropped() {
        let schema: JSONValue = [
            "type": "object", "$schema": "http://json-schema.org/draft-07/schema#", "additionalProperties": false,
            "properties": ["q": ["type": "string", "default": "x"]],
        ]
        let clean = GeminiWire.sanitize(schema)
        #expect(clean?["$schema"] == nil)
        #expect(clean?["additionalProperties"] == nil)
        #expect(clean?["properties"]?["q"]?["default"] == nil)
        #expect(clean?["properties"]?["q"]?["type"]?.stringValue == "string")
    }
}

@Suite struct AttemptRecordTests {
    @Test func attemptBecomesAPricedLedgerRow() {
        let a = AttemptRecord(
            provider: "anthropic", model: "claude-haiku-4-5", isLocal: false, attempt: 1, latencyMs: 120,
            tokensIn: 1_000_000,
            tokensOut: 0, outcome: "ok", error: nil)
        let r = a.callRecord(taskType: "simple_query", tier: "standard", pricing: PricingTable())
        #expect(r.costUSD == 1.0)
        #expect(r.outcome == "ok")
        #expect(r.provider == "anthropic")
        if case .fallback(let from, let to, _) = FailoverNotice.fallback(from: "a:b", to: "c:d", reason: "x").eventKind
        {
            #expect(from == "a:b" && to == "c:d")
        } else {
            Issue.record("wrong event kind")
        }
    }
}
