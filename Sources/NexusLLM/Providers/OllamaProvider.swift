import NexusCore

/// Ollama's native chat API (`POST {base}/api/chat`), streamed as newline-delimited JSON.
/// (Ollama's OpenAI-compatible `/v1` is served by `OpenAIProvider`.)
public struct OllamaProvider: LLMProvider {
    public let endpoint: ProviderEndpoint
    public var name: String { endpoint.name }
    public var kind: ProviderKind { .ollama }
    public var isLocal: Bool { endpoint.isLocal }

    public init(endpoint: ProviderEndpoint) {
        self.endpoint = endpoint
    }

    public func stream(_ request: LLMRequest) -> AsyncThrowingStream<LLMStreamEvent, any Error> {
        let http = endpoint.request(
            .post, path: "/api/chat", headers: authHeaders, json: OllamaWire.requestBody(request))
        let me = self
        return ProviderStreamRunner.stream(
            endpoint: endpoint, model: request.model, request: http, framing: .ndjson,
            decoder: OllamaStreamDecoder(provider: name), listModels: { try await me.listModels() })
    }

    /// `GET {base}/api/tags` → `models[].name`.
    public func listModels() async throws -> [String] {
        let json = try await endpoint.getJSON(path: "/api/tags", headers: authHeaders)
        return (json["models"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue ?? $0["model"]?.stringValue }
    }

    var authHeaders: [(String, String)] {
        guard let key = endpoint.apiKey else { return [] }
        return [("Authorization", "Bearer \(key)")]
    }
}

/// `/api/chat` request bodies: OpenAI-style tool definitions, tool calls with argument objects,
/// tool results as `role: tool` messages naming the tool.
enum OllamaWire {
    static func requestBody(_ r: LLMRequest) -> JSONValue {
        var o = JSONObject()
        o["model"] = .string(r.model)
        o["messages"] = .array(r.messages.map(message))
        o["stream"] = true
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
        var options = JSONObject([("num_predict", .number(Double(r.maxTokens)))])
        if let t = r.temperature { options["temperature"] = .number(t) }
        o["options"] = .object(options)
        return .object(o)
    }

    static func message(_ m: ChatMessage) -> JSONValue {
        var o = JSONObject([("role", .string(m.role.rawValue)), ("content", .string(m.content))])
        if m.role == .assistant, !m.toolCalls.isEmpty {
            o["tool_calls"] = .array(
                m.toolCalls.map { c in
                    let args: JSONValue = c.arguments.objectValue != nil ? c.arguments : [:]
                    return ["function": ["name": .string(c.name), "arguments": args]]
                })
        }
        if m.role == .tool {
            o["tool_name"] = .string(m.toolName ?? "")
            if m.isError { o["content"] = .string("ERROR: \(m.content)") }
        }
        return .object(o)
    }
}

/// Decodes `/api/chat` lines: `message.content` text, `message.tool_calls` (complete, arguments already
/// objects), an `error` line as a failure, and the `done: true` line with `prompt_eval_count`/`eval_count`.
struct OllamaStreamDecoder: WireStreamDecoder {
    let provider: String
    var done = false
    var doneReason: String?
    var usage: (Int, Int)?
    var calls = 0

    init(provider: String) {
        self.provider = provider
    }

    var isComplete: Bool { done }

    mutating func decode(event: String?, payload: [UInt8], emit: (LLMStreamEvent) -> Void) throws {
        let json: JSONValue
        do { json = try JSONValue(parsing: payload) } catch {
            throw ProviderError(
                .invalidResponse, provider: provider,
                message: "malformed stream line (\(error)): \(String(decoding: payload.prefix(120), as: UTF8.self))")
        }
        if let e = json["error"]?.stringValue {
            throw ProviderError(.server(status: 500), provider: provider, message: "error in stream: \(e)")
        }
        if let m = json["message"] {
            if let t = m["content"]?.stringValue, !t.isEmpty { emit(.text(t)) }
            for tc in m["tool_calls"]?.arrayValue ?? [] {
                let f = tc["function"]
                guard let name = f?["name"]?.stringValue else { continue }
                var args = f?["arguments"] ?? [:]
                if case .string(let raw) = args { args = ToolArguments.decode(raw) }
                let id = tc["id"]?.stringValue ?? "ollama_call_\(calls)"
                calls += 1
                emit(.toolCall(ToolCall(id: id, name: name, arguments: args)))
            }
        }
        if json["done"]?.boolValue == true {
            done = true
            doneReason = json["done_reason"]?.stringValue
            usage = (json["prompt_eval_count"]?.intValue ?? 0, json["eval_count"]?.intValue ?? 0)
        }
    }

    mutating func end(emit: (LLMStreamEvent) -> Void) throws {
        if let (i, o) = usage { emit(.usage(inputTokens: i, outputTokens: o)) }
        emit(.finish(reason: calls > 0 ? "tool_calls" : (doneReason ?? "stop")))
    }
}
