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
