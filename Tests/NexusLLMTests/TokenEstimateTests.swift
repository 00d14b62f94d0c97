import NexusCore
import NexusTesting
import Testing

@testable import NexusLLM

/// A server that reports no usage (llama.cpp while streaming) still leaves honest, marked token counts.
@Suite struct TokenEstimateTests {
    func run(_ reply: FakeReply, wire: FakeWireProtocol = .openai) async throws -> (Collected, [AttemptRecord]) {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(reply)
        let p = try makeProvider(wire, server: server)
        let attempts = Recorder<AttemptRecord>()
        let result = await collect(
            FailoverRunner(sleep: { _ in }).stream(
                ask(String(repeating: "word ", count: 40)),
                chain: [FailoverCandidate(provider: p, model: "fake-model")],
                onAttemptFinished: { attempts.add($0) }))
        return (result, attempts.all)
    }

    @Test func answerWithoutUsageIsEstimatedAndMarked() async throws {
        let (result, attempts) = try await run(.text("Hel", "lo", " there", usage: nil))
        #expect(result.error == nil)
        let a = try #require(attempts.last)
        #expect(a.tokensEstimated)
        #expect(a.tokensOut == 3, "one token per streamed chunk")
        #expect(a.tokensIn >= 50, "200 characters of prompt are about 50 tokens")
        // The consumer sees the same counts, as a usage event before finish.
        #expect(result.usage?.0 == a.tokensIn)
        #expect(result.usage?.1 == a.tokensOut)
        #expect(a.callRecord(taskType: "simple_query", tier: "standard", pricing: PricingTable()).tokensEstimated)
    }

    @Test func reportedUsageIsKeptExactly() async throws {
        let (_, attempts) = try await run(.text("Hello", usage: FakeUsage(input: 12, output: 7)))
        let a = try #require(attempts.last)
        #expect(!a.tokensEstimated)
        #expect(a.tokensIn == 12 && a.tokensOut == 7)
    }

    @Test func refusedCallUsedNoTokens() async throws {
        let (result, attempts) = try await run(.error(401))
        #expect(result.error != nil)
        let a = try #require(attempts.last)
        #expect(!a.tokensEstimated)
        #expect(a.tokensIn == 0 && a.tokensOut == 0)
    }

    @Test func longChunksFallBackToCharactersPerToken() {
        var e = TokenEstimate()
        e.add(.text(String(repeating: "x", count: 400)))
        #expect(e.output == 100)
    }

    @Test func promptEstimateCountsToolsAndFraming() {
        let plain = TokenEstimate.input(LLMRequest(model: "m", messages: [.user("abcd")]))
        #expect(plain == 1 + TokenEstimate.framingTokensPerMessage)
        let withTool = TokenEstimate.input(
            LLMRequest(
                model: "m", messages: [.user("abcd")],
                tools: [ToolDefinition(name: "calc", description: "Evaluate arithmetic")]))
        #expect(withTool > plain)
    }
}
