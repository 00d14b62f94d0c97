import NexusCore
import NexusTesting
import Testing

@testable import NexusLLM

#if canImport(Glibc)
    import Glibc
#endif

/// Bad answers from servers become classified, one-line `ProviderError`s, never crashes or silent loss.
@Suite struct ProviderErrorTests {
    @Test(arguments: FakeWireProtocol.allCases)
    func unauthorizedNamesTheKeyVariable(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(401))
        let provider = try makeProvider(wire, server: server, keyEnv: "MY_VENDOR_KEY")
        let c = await collect(provider.stream(ask("hi")))
        let e = try #require(c.error)
        #expect(e.kind == .unauthorized(envVar: "MY_VENDOR_KEY"))
        #expect(e.message.contains("MY_VENDOR_KEY"))
        #expect(e.hint?.contains("MY_VENDOR_KEY") == true)
        #expect(!e.isRetryable)
    }

    /// An OpenAI-compatible server on this machine may take no key, so none is required before the request; when
    /// it answers 401 anyway, no key was rejected: the message said "the API key was rejected" with the variable
    /// unset, sending the person to check a key that does not exist.
    @Test func aFourOhOneWhenNoKeyWasSentSaysToSetOneNotThatItWasRejected() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(401))
        let provider = try makeProvider(.openai, server: server, key: nil, keyEnv: "BOX_API_KEY")
        let c = await collect(provider.stream(ask("hi")))
        let e = try #require(c.error)
        #expect(e.kind == .unauthorized(envVar: "BOX_API_KEY"))
        #expect(e.message.contains("wants an API key and none was sent"), "\(e.message)")
        #expect(e.message.contains("set BOX_API_KEY") && !e.message.contains("rejected"), "\(e.message)")
    }

    @Test func missingKeyFailsBeforeAnyRequestAndNamesTheVariable() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        var config = ProviderConfig(name: "claude", kind: .anthropic)
        config.baseURL = "https://api.anthropic.invalid"
        let provider = try ProviderFactory.make(config: config, environment: [:])
        let c = await collect(provider.stream(ask("hi")))
        #expect(c.error?.kind == .unauthorized(envVar: "ANTHROPIC_API_KEY"))
        #expect(c.error?.message.contains("ANTHROPIC_API_KEY is not set") == true)
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func unknownModelListsWhatTheServerOffers(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer(models: ["alpha-1", "beta-2"])
        defer { server.stop() }
        let provider = try makeProvider(wire, server: server)
        let c = await collect(provider.stream(ask("hi", model: "gamma-3")))
        let e = try #require(c.error)
        #expect(e.kind == .unknownModel(available: ["alpha-1", "beta-2"]))
        #expect(e.message.contains("gamma-3"))
        #expect(e.message.contains("alpha-1, beta-2"))
        #expect(try await provider.listModels() == ["alpha-1", "beta-2"])
        #expect(e.message.contains("ollama pull gamma-3") == (wire == .ollama))
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func rateLimitCarriesRetryAfter(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(429, retryAfter: "7"))
        let c = await collect(try makeProvider(wire, server: server).stream(ask("hi")))
        #expect(c.error?.kind == .rateLimited(retryAfterSeconds: 7))
        #expect(c.error?.isRetryable == true)
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func serverErrorIsRetryable(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(503))
        let c = await collect(try makeProvider(wire, server: server).stream(ask("hi")))
        #expect(c.error?.kind == .server(status: 503))
        #expect(c.error?.isRetryable == true)
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func htmlErrorPageBecomesOneCleanLine(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.html(502, title: "502 Bad Gateway"))
        let c = await collect(try makeProvider(wire, server: server).stream(ask("hi")))
        let e = try #require(c.error)
        #expect(e.kind == .server(status: 502))
        #expect(e.message.contains("502 Bad Gateway"))
        #expect(!e.message.contains("<"))
        #expect(!e.message.contains("\n"))
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func connectionDroppedBeforeTextIsAConnectionError(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.drop(after: []))
        let c = await collect(try makeProvider(wire, server: server).stream(ask("hi")))
        #expect(c.error?.kind == .connection)
        #expect(c.error?.isRetryable == true)
        #expect(c.text.isEmpty)
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func connectionDroppedAfterTextIsReportedAsIncomplete(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.drop(after: ["The answer ", "is"]))
        let c = await collect(try makeProvider(wire, server: server).stream(ask("hi")))
        #expect(c.text == "The answer is")
        let e = try #require(c.error)
        #expect(e.kind == .streamCut)
        #expect(e.message.contains("incomplete"))
        #expect(c.finish == nil)
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func eventsSplitAcrossReadsAndUnknownEventsAreHandled(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            FakeReply(.stream(FakeStream(chunks: ["one ", "two ", "three"], splitEvents: true, noise: true))))
        let c = await collect(try makeProvider(wire, server: server).stream(ask("count")))
        #expect(c.error == nil)
        #expect(c.text == "one two three")
        #expect(c.usage?.0 == 12)
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func invalidToolCallJSONIsRepairedOrHandedOverRaw(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        // Trailing comma: repairable. Unclosed garbage: not.
        server.enqueue(
            .toolCall(name: "get_weather", arguments: #"{"city": "Rome",}"#),
            .toolCall(name: "get_weather", arguments: #"{"city": Rome"#))
        let provider = try makeProvider(wire, server: server)
        let first = await collect(provider.stream(ask("weather?", tools: [weatherTool])))
        #expect(first.error == nil)
        let repaired = try #require(first.toolCalls.first)
        if wire == .openai || wire == .anthropic {
            #expect(repaired.arguments == ["city": "Rome"])
        }
        #expect(ToolArguments.invalidMessage(for: repaired) == nil || wire == .gemini || wire == .ollama)
        let second = await collect(provider.stream(ask("weather?", tools: [weatherTool])))
        #expect(second.error == nil)
        let broken = try #require(second.toolCalls.first)
        let message = ToolArguments.invalidMessage(for: broken)
        #expect(message?.contains("get_weather") == true)
    }

    @Test(arguments: FakeWireProtocol.allCases)
    func emptyAnswerIsAnError(wire: FakeWireProtocol) async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text())
        let c = await collect(try makeProvider(wire, server: server).stream(ask("hi")))
        #expect(c.error?.kind == .invalidResponse)
        #expect(c.error?.message.contains("empty answer") == true)
    }

    @Test func malformedStreamEventIsReportedNotSkipped() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            FakeReply(
                .raw(
                    status: 200, contentType: "text/event-stream",
                    pieces: [
                        #"data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}"# + "\n\n",
                        "data: {not json\n\n",
                    ], delayMs: 0)))
        let c = await collect(try makeProvider(.openai, server: server).stream(ask("hi")))
        #expect(c.text == "hi")
        #expect(c.error?.kind == .streamCut)
        #expect(c.error?.message.contains("malformed") == true)
    }

    @Test func serverThatNeverAnswersTimesOut() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.hang)
        let provider = try makeProvider(.openai, server: server, readTimeout: 0.3)
        let start = MonotonicClock.nanoseconds()
        let c = await collect(provider.stream(ask("hi")))
        let ms = MonotonicClock.millisSince(start)
        #expect(c.error?.kind == .timeout)
        #expect(ms < 3000)
    }

    @Test func nothingListeningIsAConnectionError() async throws {
        var config = ProviderConfig(name: "local", kind: .openai)
        config.baseURL = "http://127.0.0.1:1/v1"
        let provider = try ProviderFactory.make(config: config, environment: [:])
        let c = await collect(provider.stream(ask("hi")))
        #expect(c.error?.kind == .connection)
        #expect(c.error?.message.contains("127.0.0.1:1") == true)
    }

    @Test func cancellingTheConsumerStopsTheRequestPromptly() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        // 20 tokens 400 ms apart: the whole answer would take 8 s.
        server.enqueue(FakeReply(.stream(FakeStream(chunks: (0..<20).map { "t\($0) " }, delayMs: 400))))
        let provider = try makeProvider(.openai, server: server)
        let start = MonotonicClock.nanoseconds()
        let task = Task { () -> String in
            var got = ""
            do {
                for try await e in provider.stream(ask("hi")) { if case .text(let t) = e { got += t } }
            } catch {}
            return got
        }
        try await Task.sleep(for: .milliseconds(600))
        task.cancel()
        let got = await task.value
        let ms = MonotonicClock.millisSince(start)
        #expect(ms < 3000, "cancel took too long: \(ms) ms")
        #expect(!got.contains("t19"))
        // The request itself stopped: the server sees its connection closed long before the answer is done.
        var waited = 0
        while server.openConnectionCount > 0 && waited < 2000 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 50
        }
        #expect(server.openConnectionCount == 0)
        #expect(MonotonicClock.millisSince(start) < 5000)
    }
}

/// Servers that ignore `stream: true` and answer with one JSON document still work.
@Suite struct NonStreamedAnswerTests {
    @Test func openAIChatCompletionObjectIsDecoded() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        let body =
            #"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"whole answer","tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Kyiv\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}"#
        server.enqueue(FakeReply(.raw(status: 200, contentType: "application/json", pieces: [body], delayMs: 0)))
        let c = await collect(try makeProvider(.openai, server: server).stream(ask("x")))
        #expect(c.error == nil)
        #expect(c.text == "whole answer")
        #expect(c.toolCalls == [ToolCall(id: "c1", name: "get_weather", arguments: ["city": "Kyiv"])])
        #expect(c.usage?.0 == 9)
        #expect(c.finish == "tool_calls")
    }

    @Test func anthropicMessageObjectIsDecoded() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        let body =
            #"{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"hi there"}],"stop_reason":"end_turn","usage":{"input_tokens":4,"output_tokens":2}}"#
        server.enqueue(FakeReply(.raw(status: 200, contentType: "application/json", pieces: [body], delayMs: 0)))
        let c = await collect(try makeProvider(.anthropic, server: server).stream(ask("x")))
        #expect(c.error == nil)
        #expect(c.text == "hi there")
        #expect(c.usage?.1 == 2)
    }
}

/// A listener whose accept queue is full drops SYNs, so a new connection never completes.
@Test func connectTimeoutIsATimeoutNamingTheHost() async throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #expect(fd >= 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
            bind(fd, sa, len) == 0 && listen(fd, 0) == 0 && getsockname(fd, sa, &len) == 0
        }
    }
    try #require(ok)
    // Fill the accept queue (never accepted).
    var fillers: [Int32] = []
    defer { for f in fillers { close(f) } }
    for _ in 0..<3 {
        let c = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        _ = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(c, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        fillers.append(c)
    }
    try await Task.sleep(for: .milliseconds(100))
    var config = ProviderConfig(name: "slow", kind: .openai)
    config.baseURL = "http://127.0.0.1:\(UInt16(bigEndian: addr.sin_port))/v1"
    config.connectTimeoutSeconds = 0.5
    config.readTimeoutSeconds = 10
    let provider = try ProviderFactory.make(config: config, environment: [:])
    let start = MonotonicClock.nanoseconds()
    let c = await collect(provider.stream(ask("hi")))
    #expect(c.error?.kind == .timeout)
    #expect(c.error?.message.contains("127.0.0.1") == true)
    #expect(MonotonicClock.millisSince(start) < 5000)
}
