import NexusCore
import NexusTesting
import Testing

@testable import NexusLLM

@Test func embeddingsComeBackInInputOrderFromAnOpenAICompatibleServer() async throws {
    let server = try #require(EmbeddingTestServer(.openai))
    let client = EmbeddingClient(api: .openAI, url: server.openAIURL, model: "test")
    // The server answers in reverse index order; the client must restore input order.
    let v = try await client.embed(["send email", "list calendar events", "send email"], timeout: 5)
    #expect(v.count == 3)
    #expect(v[0] == v[2])
    #expect(v[0] != v[1])
    #expect(v[0].count == 64)
}

@Test func embeddingsComeFromOllamasEmbedAPI() async throws {
    let server = try #require(EmbeddingTestServer(.ollama))
    let client = EmbeddingClient(api: .ollama, url: server.ollamaURL, model: "nomic-embed-text")
    let v = try await client.embed(["what is on my calendar"], timeout: 5)
    #expect(v.count == 1 && v[0].count == 64)
}

@Test func aServerSendingNonNumbersIsRefusedNotTrusted() async throws {
    let server = try #require(EmbeddingTestServer(.garbage))
    let client = EmbeddingClient(api: .openAI, url: server.openAIURL, model: "test")
    await #expect(throws: EmbeddingError.self) { try await client.embed(["x"], timeout: 5) }
}

@Test func anUnreachableServerFailsFastWithItsURL() async {
    let client = EmbeddingClient(api: .openAI, url: "http://127.0.0.1:9/v1/embeddings", model: "test")
    do {
        _ = try await client.embed(["x"], timeout: 1)
        Issue.record("expected a failure")
    } catch {
        #expect(error.userMessage.contains("127.0.0.1:9"))
    }
}
