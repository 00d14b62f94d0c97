import NexusCore

/// OpenAI's Chat Completions protocol, streamed as SSE: OpenAI itself and everything that copies it
/// (Ollama's /v1, llama.cpp server, vLLM, LM Studio, OpenRouter, Perplexity). Vendors are configuration
/// (base URL, key variable, extra headers), not code.
public struct OpenAIProvider: LLMProvider {
    public let endpoint: ProviderEndpoint
    public var name: String { endpoint.name }
    public var kind: ProviderKind { .openai }
    public var isLocal: Bool { endpoint.isLocal }

    public init(endpoint: ProviderEndpoint) {
        self.endpoint = endpoint
    }

    public func stream(_ request: LLMRequest) -> AsyncThrowingStream<LLMStreamEvent, any Error> {
        let body = OpenAIWire.requestBody(request, useCompletionTokens: endpoint.baseURL.contains("api.openai.com"))
        var headers = authHeaders
        headers.append(("Accept", "text/event-stream"))
        let http = endpoint.request(.post, path: "/chat/completions", headers: headers, json: body)
        let me = self
        return ProviderStreamRunner.stream(
            endpoint: endpoint, model: request.model, request: http, framing: .sse,
            decoder: OpenAIStreamDecoder(provider: name), listModels: { try await me.listModels() })
    }

    /// `GET {base}/models` → `data[].id`.
    public func listModels() async throws -> [String] {
        let json = try await endpoint.getJSON(path: "/models", headers: authHeaders)
        return (json["data"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }

    var authHeaders: [(String, String)] {
        guard let key = endpoint.apiKey, !key.isEmpty else { return [] }
        return [("Authorization", "Bearer \(key)")]
    }
}

/// Chat Completions request bodies: neutral messages and tools → OpenAI's JSON.
enum OpenAIWire {
    static func requestBody(_ r: LLMRequest, useCompletionTokens: Bool) -> JSONValue {
        var o = JSONObject()
        o["model"] = .string(r.model)
        o["messages"] = .array(r.messages.map(message))
        o["stream"] = true
        o["stream_options"] = ["include_usage": true]
        // OpenAI's reasoning models reject max_tokens; compatible servers mostly know only max_tokens.
        o[useCompletionTokens ? "max_completion_tokens" : "max_tokens"] = .number(Double(r.maxTokens))
        if let t = r.temperature { o["temperature"] = .number(t) }
        if !r.tools.isEmpty {
            o["tools"] = .array(
                r.tools.map { t in
                    [
                        "type": "function",
                        "function": [
                            "name": .string(t.name), "description": .string(t.description), "parameters": t.inputSchema,
                        ],
                    ]
                })
        }
        return .object(o)
    }

    static func message(_ m: ChatMessage) -> JSONValue {
        switch m.role {
        case .system: return ["role": "system", "content": .string(m.content)]
        case .user: return ["role": "user", "content": .string(m.content)]
        case .assistant:
            var o: JSONObject = JSONObject([("role", "assistant")])
            o["content"] = m.content.isEmpty && !m.toolCalls.isEmpty ? .null : .string(m.content)
            if !m.toolCalls.isEmpty {
                o["tool_calls"] = .array(
                    m.toolCalls.map { c in
                        [
                            "id": .string(c.id), "type": "function",
                            "function": ["name": .string(c.name), "arguments": .string(argumentsText(c.arguments))],
                        ]
                    })
            }
            return .object(o)
        case .tool:
            return [
                "role": "tool", "tool_call_id": .string(m.toolCallID ?? ""),
                "content": .string(m.isError ? "ERROR: \(m.content)" : m.content),
            ]
        }
    }

    /// Arguments as JSON text; a call whose arguments never parsed is sent back as the model wrote it.
    static func argumentsText(_ v: JSONValue) -> String {
        if case .string(let raw) = v { return raw }
        return v.serialized
    }
}
