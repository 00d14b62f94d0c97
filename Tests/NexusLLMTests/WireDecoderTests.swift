import NexusCore
import NexusTesting
import Testing

@testable import NexusLLM

/// Protocol details that the scripted fake does not produce by itself.
@Suite struct WireDecoderTests {
    func decode<D: WireStreamDecoder>(_ d: inout D, _ events: [(String?, String)]) throws -> [LLMStreamEvent] {
        var out: [LLMStreamEvent] = []
        for (name, data) in events { try d.decode(event: name, payload: Array(data.utf8)) { out.append($0) } }
        try d.end { out.append($0) }
        return out
    }

    @Test func openAIParallelToolCallsAreAssembledByIndex() throws {
        var d = OpenAIStreamDecoder(provider: "o")
        let events = try decode(
            &d,
            [
                (
                    nil,
                    #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"a","type":"function","function":{"name":"f","arguments":""}}]}}]}"#
                ),
                (
                    nil,
                    #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"b","type":"function","function":{"name":"g","arguments":"{\"y\":"}}]}}]}"#
                ),
                (
                    nil,
                    #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"x\":1}"}}]}}]}"#
                ),
                (nil, #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"2}"}}]}}]}"#),
                (nil, #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#),
                (nil, "[DONE]"),
            ])
        let calls = events.compactMap { if case .toolCall(let c) = $0 { c } else { nil } }
        #expect(
            calls == [
                ToolCall(id: "a", name: "f", arguments: ["x": 1]), ToolCall(id: "b", name: "g", arguments: ["y": 2]),
            ])
        #expect(events.last == .finish(reason: "tool_calls"))
    }

    @Test func anthropicOverloadedErrorEventIsARetryableServerError() {
        var d = AnthropicStreamDecoder(provider: "a")
        #expect(throws: ProviderError.self) {
            _ = try decode(
                &d, [("error", #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)])
        }
        do {
            var d2 = AnthropicStreamDecoder(provider: "a")
            _ = try decode(
                &d2, [("error", #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)])
        } catch let e as ProviderError {
            #expect(e.kind == .server(status: 529))
            #expect(e.isRetryable)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func anthropicThinkingDeltasAreNotShown() throws {
        var d = AnthropicStreamDecoder(provider: "a")
        let events = try decode(
            &d,
            [
                (
                    "message_start",
                    #"{"type":"message_start","message":{"usage":{"input_tokens":5,"output_tokens":1}}}"#
                ),
                (
                    "content_block_start",
                    #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#
                ),
                (
                    "content_block_delta",
                    #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}"#
                ),
                ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
                (
                    "content_block_start",
                    #"{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"#
                ),
                (
                    "content_block_delta",
                    #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"answer"}}"#
                ),
                (
                    "message_delta",
                    #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}"#
                ),
                ("message_stop", #"{"type":"message_stop"}"#),
            ])
        #expect(events == [.text("answer"), .usage(inputTokens: 5, outputTokens: 9), .finish(reason: "stop")])
    }

    @Test func errorAfterTextInTheStreamIsAnIncompleteAnswer() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            FakeReply(
                .raw(
                    status: 200, contentType: "application/x-ndjson",
                    pieces: [
                        #"{"model":"fake-model","message":{"role":"assistant","content":"partial"},"done":false}"#
                            + "\n",
                        #"{"error":"llama runner process has terminated"}"# + "\n",
                    ], delayMs: 0)))
        let c = await collect(try makeProvider(.ollama, server: server).stream(ask("hi")))
        #expect(c.text == "partial")
        #expect(c.error?.kind == .streamCut)
        #expect(c.error?.message.contains("llama runner") == true)
    }

    @Test func geminiThoughtPartsAreSkippedAndUsageIsCumulative() throws {
        var d = GeminiStreamDecoder(provider: "g")
        let events = try decode(
            &d,
            [
                (
                    nil,
                    #"{"candidates":[{"content":{"parts":[{"text":"thinking...","thought":true}],"role":"model"}}],"usageMetadata":{"promptTokenCount":4}}"#
                ),
                (
                    nil,
                    #"{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":2,"thoughtsTokenCount":10}}"#
                ),
            ])
        #expect(events == [.text("Hi"), .usage(inputTokens: 4, outputTokens: 12), .finish(reason: "stop")])
    }
}

@Test func emptyStreamBodyIsAConnectionErrorNotACrash() async throws {
    let server = try FakeProviderServer()
    defer { server.stop() }
    server.enqueue(FakeReply(.raw(status: 200, contentType: "text/event-stream", pieces: [], delayMs: 0)))
    let c = await collect(try makeProvider(.openai, server: server).stream(ask("hi")))
    #expect(c.error?.kind == .connection)
    #expect(c.error?.message.contains("closed before the answer finished") == true)
}
