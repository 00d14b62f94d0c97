import NexusCore

/// Anthropic's Messages API (`POST {base}/v1/messages`, `x-api-key`, `anthropic-version: 2023-06-01`),
/// streamed as named SSE events.
public struct AnthropicProvider: LLMProvider {
    public static let apiVersion = "2023-06-01"
    public let endpoint: ProviderEndpoint
    public var name: String { endpoint.name }
    public var kind: ProviderKind { .anthropic }
    public var isLocal: Bool { endpoint.isLocal }

    public init(endpoint: ProviderEndpoint) {
        self.endpoint = endpoint
    }

    public func stream(_ request: LLMRequest) -> AsyncThrowingStream<LLMStreamEvent, any Error> {
        var headers = authHeaders
        headers.append(("Accept", "text/event-stream"))
        let http = endpoint.request(
            .post, path: "/v1/messages", headers: headers, json: AnthropicWire.requestBody(request))
        let me = self
        return ProviderStreamRunner.stream(
            endpoint: endpoint, model: request.model, request: http, framing: .sse,
            decoder: AnthropicStreamDecoder(provider: name), listModels: { try await me.listModels() })
    }

    /// `GET {base}/v1/models` → `data[].id`.
    public func listModels() async throws -> [String] {
        let json = try await endpoint.getJSON(path: "/v1/models?limit=1000", headers: authHeaders)
        return (json["data"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }

    var authHeaders: [(String, String)] {
        var h: [(String, String)] = [("anthropic-version", AnthropicProvider.apiVersion)]
        if let key = endpoint.apiKey { h.append(("x-api-key", key)) }
        return h
    }
}

/// Messages API request bodies: system prompts lifted to `system`, tool calls as `tool_use` blocks,
/// consecutive tool results gathered into one user turn of `tool_result` blocks.
enum AnthropicWire {
    static func requestBody(_ r: LLMRequest) -> JSONValue {
        var o = JSONObject()
        o["model"] = .string(r.model)
        o["max_tokens"] = .number(Double(r.maxTokens))
        let system = r.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        if !system.isEmpty { o["system"] = .string(system) }
        o["messages"] = .array(messages(r.messages))
        if let t = r.temperature { o["temperature"] = .number(t) }
        if !r.tools.isEmpty {
            o["tools"] = .array(
                r.tools.map {
                    ["name": .string($0.name), "description": .string($0.description), "input_schema": $0.inputSchema]
                })
        }
        o["stream"] = true
        return .object(o)
    }

    static func messages(_ all: [ChatMessage]) -> [JSONValue] {
        var out: [(role: String, blocks: [JSONValue])] = []
        func add(_ role: String, _ blocks: [JSONValue]) {
            if let last = out.last, last.role == role {
                out[out.count - 1].blocks += blocks
            } else {
                out.append((role, blocks))
            }
        }
        for m in all {
            switch m.role {
            case .system: continue
            case .user: add("user", [["type": "text", "text": .string(m.content)]])
            case .assistant:
                var blocks: [JSONValue] = []
                if !m.content.isEmpty { blocks.append(["type": "text", "text": .string(m.content)]) }
                for c in m.toolCalls {
                    let input: JSONValue =
                        c.arguments.objectValue != nil ? c.arguments : ["_unparsed_arguments": c.arguments]
                    blocks.append(["type": "tool_use", "id": .string(c.id), "name": .string(c.name), "input": input])
                }
                if blocks.isEmpty { blocks.append(["type": "text", "text": "(no answer)"]) }
                add("assistant", blocks)
            case .tool:
                var b: JSONObject = JSONObject([
                    ("type", "tool_result"), ("tool_use_id", .string(m.toolCallID ?? "")),
                    ("content", .string(m.content)),
                ])
                if m.isError { b["is_error"] = true }
                add("user", [.object(b)])
            }
        }
        return out.map { ["role": .string($0.role), "content": .array($0.blocks)] }
    }
}

/// Decodes the Messages stream: text deltas as they come, tool_use blocks completed at
/// `content_block_stop` from accumulated `input_json_delta`s, usage from `message_start` (input) and
/// `message_delta` (output), `message_stop` as the end marker, `error` events as failures. Unknown event
/// types and `ping` are ignored, as Anthropic's versioning policy asks.
struct AnthropicStreamDecoder: WireStreamDecoder {
    struct Block {
        var isTool: Bool
        var id = ""
        var name = ""
        var json = ""
    }

    let provider: String
    var blocks: [Int: Block] = [:]
    var inputTokens = 0
    var outputTokens = 0
    var stopReason: String?
    var sawStop = false
    var sawToolCall = false

    init(provider: String) {
        self.provider = provider
    }

    var isComplete: Bool { sawStop }

    mutating func decode(event: String?, payload: [UInt8], emit: (LLMStreamEvent) -> Void) throws {
        let json: JSONValue
        do { json = try JSONValue(parsing: payload) } catch {
            throw ProviderError(
                .invalidResponse, provider: provider,
                message:
                    "malformed \(event ?? "message") event (\(error)): \(String(decoding: payload.prefix(120), as: UTF8.self))"
            )
        }
        let type = json["type"]?.stringValue ?? event ?? ""
        switch type {
        case "message_start":
            let u = json["message"]?["usage"]
            inputTokens =
                (u?["input_tokens"]?.intValue ?? 0) + (u?["cache_creation_input_tokens"]?.intValue ?? 0)
                + (u?["cache_read_input_tokens"]?.intValue ?? 0)
            outputTokens = u?["output_tokens"]?.intValue ?? 0
        case "content_block_start":
            let index = json["index"]?.intValue ?? blocks.count
            let cb = json["content_block"]
            if cb?["type"]?.stringValue == "tool_use" {
                blocks[index] = Block(
                    isTool: true, id: cb?["id"]?.stringValue ?? "", name: cb?["name"]?.stringValue ?? "")
            } else {
                blocks[index] = Block(isTool: false)
                if let t = cb?["text"]?.stringValue, !t.isEmpty { emit(.text(t)) }
            }
        case "content_block_delta":
            let index = json["index"]?.intValue ?? 0
            let delta = json["delta"]
            switch delta?["type"]?.stringValue {
            case "text_delta": if let t = delta?["text"]?.stringValue, !t.isEmpty { emit(.text(t)) }
            case "input_json_delta": blocks[index]?.json += delta?["partial_json"]?.stringValue ?? ""
            default: break  // thinking_delta, signature_delta, citations: not shown
            }
        case "content_block_stop":
            let index = json["index"]?.intValue ?? 0
            if let b = blocks[index], b.isTool {
                sawToolCall = true
                emit(
                    .toolCall(
                        ToolCall(
                            id: b.id.isEmpty ? "toolu_\(index)" : b.id, name: b.name,
                            arguments: ToolArguments.decode(b.json))))
            }
            blocks[index] = nil
        case "message_delta":
            if let r = json["delta"]?["stop_reason"]?.stringValue { stopReason = r }
            if let o = json["usage"]?["output_tokens"]?.intValue { outputTokens = o }
            if let i = json["usage"]?["input_tokens"]?.intValue, i > 0 { inputTokens = i }
        case "message_stop":
            sawStop = true
        case "error":
            let e = json["error"]
            let msg = e?["message"]?.stringValue ?? "stream error"
            switch e?["type"]?.stringValue {
            case "overloaded_error":
                throw ProviderError(.server(status: 529), provider: provider, message: "overloaded: \(msg)")
            case "rate_limit_error":
                throw ProviderError(.rateLimited(retryAfterSeconds: nil), provider: provider, message: msg)
            case "api_error":
                throw ProviderError(.server(status: 500), provider: provider, message: "error in stream: \(msg)")
            default: throw ProviderError(.invalidResponse, provider: provider, message: "error in stream: \(msg)")
            }
        default:
            break  // ping and event types added after this client was written
        }
    }

    /// A whole `message` object (the server ignored `stream`): content blocks, usage, stop reason.
    mutating func decodeComplete(payload: [UInt8], emit: (LLMStreamEvent) -> Void) throws {
        // The else branch raises invalidResponse.
        guard let json = try? JSONValue(parsing: payload) else {
            throw ProviderError(.invalidResponse, provider: provider, message: "the answer is not valid JSON")
        }
        if json["type"]?.stringValue == "error" {
            try decode(event: "error", payload: payload, emit: emit)
            return
        }
        for (i, b) in (json["content"]?.arrayValue ?? []).enumerated() {
            if b["type"]?.stringValue == "text", let t = b["text"]?.stringValue, !t.isEmpty { emit(.text(t)) }
            if b["type"]?.stringValue == "tool_use", let name = b["name"]?.stringValue {
                sawToolCall = true
                emit(
                    .toolCall(
                        ToolCall(id: b["id"]?.stringValue ?? "toolu_\(i)", name: name, arguments: b["input"] ?? [:])))
            }
        }
        inputTokens = json["usage"]?["input_tokens"]?.intValue ?? 0
        outputTokens = json["usage"]?["output_tokens"]?.intValue ?? 0
        stopReason = json["stop_reason"]?.stringValue
        sawStop = true
    }

    mutating func end(emit: (LLMStreamEvent) -> Void) throws {
        emit(.usage(inputTokens: inputTokens, outputTokens: outputTokens))
        let reason: String =
            switch stopReason {
            case "end_turn", "stop_sequence", nil: sawToolCall ? "tool_calls" : "stop"
            case "tool_use": "tool_calls"
            case "max_tokens": "length"
            case let r?: r
            }
        emit(.finish(reason: reason))
    }
}
