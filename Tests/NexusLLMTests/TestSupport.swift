import NexusCore
import NexusTesting
import Testing

@testable import NexusLLM

/// Everything a stream produced, gathered for assertions.
struct Collected {
    var text = ""
    var toolCalls: [ToolCall] = []
    var usage: (Int, Int)?
    var finish: String?
    var error: ProviderError?
    var events: [LLMStreamEvent] = []
}

func collect(_ stream: AsyncThrowingStream<LLMStreamEvent, any Error>) async -> Collected {
    var c = Collected()
    do {
        for try await e in stream {
            c.events.append(e)
            switch e {
            case .text(let t): c.text += t
            case .toolCall(let call): c.toolCalls.append(call)
            case .usage(let i, let o): c.usage = (i, o)
            case .finish(let r): c.finish = r
            }
        }
    } catch let e as ProviderError {
        c.error = e
    } catch {
        c.error = ProviderError(.invalidResponse, provider: "test", message: "unexpected error type: \(error)")
    }
    return c
}

func kind(_ wire: FakeWireProtocol) -> ProviderKind {
    switch wire {
    case .openai: .openai
    case .anthropic: .anthropic
    case .gemini: .gemini
    case .ollama: .ollama
    }
}

/// A provider of the given protocol pointed at the fake server, with a key in its environment variable.
func makeProvider(
    _ wire: FakeWireProtocol, server: FakeProviderServer, name: String = "fake", key: String? = "test-key",
    readTimeout: Double = 10, keyEnv: String = "FAKE_API_KEY"
) throws -> any LLMProvider {
    var config = ProviderConfig(name: name, kind: kind(wire))
    config.baseURL = server.baseURL(for: wire)
    config.apiKeyEnv = keyEnv
    config.readTimeoutSeconds = readTimeout
    config.connectTimeoutSeconds = 2
    var env: [String: String] = [:]
    if let key { env[keyEnv] = key }
    return try ProviderFactory.make(config: config, environment: env)
}

let weatherTool = ToolDefinition(
    name: "get_weather", description: "Current weather for a city",
    inputSchema: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]])

func ask(_ text: String, model: String = "fake-model", tools: [ToolDefinition] = []) -> LLMRequest {
    LLMRequest(model: model, messages: [.system("be brief"), .user(text)], tools: tools, maxTokens: 256)
}
