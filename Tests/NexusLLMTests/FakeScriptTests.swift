import NexusCore
import NexusTesting
import Testing

@testable import NexusLLM

@Suite struct FakeScriptTests {
    @Test func scriptDrivesTheServerAndRepeatsTheLastReply() async throws {
        let script = try FakeScript(
            json: """
                {"models": ["m1"], "repeat_last": true, "replies": [
                  {"error": 429, "retry_after": "3"},
                  {"tool_call": {"name": "get_weather", "arguments": {"city": "Bern"}, "id": "c9"}},
                  {"text": ["again"], "usage": {"input": 5, "output": 1}}
                ]}
                """)
        let server = try FakeProviderServer(models: script.models)
        defer { server.stop() }
        server.enqueue(contentsOf: script.replies)
        server.setRepeatLastReply(script.repeatLast)
        let p = try makeProvider(.openai, server: server)
        let first = await collect(p.stream(ask("x", model: "m1")))
        #expect(first.error?.kind == .rateLimited(retryAfterSeconds: 3))
        let second = await collect(p.stream(ask("x", model: "m1", tools: [weatherTool])))
        #expect(second.toolCalls == [ToolCall(id: "c9", name: "get_weather", arguments: ["city": "Bern"])])
        for _ in 0..<2 {
            let c = await collect(p.stream(ask("x", model: "m1")))
            #expect(c.text == "again")
            #expect(c.usage?.0 == 5)
        }
    }

    @Test func badScriptNamesTheReply() {
        #expect(throws: NexusError.self) { try FakeScript(json: #"{"replies": [{"text": "ok"}, {"bogus": 1}]}"#) }
        do {
            _ = try FakeScript(json: #"{"replies": [{"text": "ok"}, {"bogus": 1}]}"#)
        } catch let e as NexusError {
            #expect(e.userMessage.contains("replies[1]"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Test func commandLineRejectsBadArgumentsWithUsageStatus() {
    #expect(FakeProviderServer.runFromCommandLine(args: ["--protocol", "smoke-signals"]) == 2)
    #expect(FakeProviderServer.runFromCommandLine(args: ["--script", "/nonexistent/script.json"]) == 2)
    #expect(FakeProviderServer.runFromCommandLine(args: ["--frobnicate"]) == 2)
}
