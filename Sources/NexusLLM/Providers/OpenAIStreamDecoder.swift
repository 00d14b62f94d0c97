import NexusCore

/// Decodes Chat Completions stream chunks: `choices[0].delta.content` text, `delta.tool_calls` fragments
/// accumulated by `index` until the call is complete, `finish_reason`, the final `usage` chunk (sent
/// because we ask for `stream_options.include_usage`), and the `[DONE]` sentinel. Public (its initialiser and
/// `decode` only) so `nexus bench llm` can time decoding apart from the network.
public struct OpenAIStreamDecoder: WireStreamDecoder {
    struct PartialCall {
        var id = ""
        var name = ""
        var arguments = ""
    }

    let provider: String
    var calls: [Int: PartialCall] = [:]
    var callOrder: [Int] = []
    var finishReason: String?
    var usage: (Int, Int)?
    var sawDone = false
    var emittedCalls = false

    public init(provider: String) {
        self.provider = provider
    }

    var isComplete: Bool { sawDone || finishReason != nil }

    public mutating func decode(event: String?, payload: [UInt8], emit: (LLMStreamEvent) -> Void) throws {
        if payload.count == 6, payload == Array("[DONE]".utf8) {
            sawDone = true
            return
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: payload) } catch {
            throw ProviderError(
                .invalidResponse, provider: provider,
                message: "malformed stream event (\(error)): \(String(decoding: payload.prefix(120), as: UTF8.self))")
        }
        if let err = json["error"], !err.isNull {
            let msg = ProviderErrorClassifier.jsonMessage(json) ?? err.serialized
            let code = err["code"]?.intValue ?? 0
            if code == 429 {
                throw ProviderError(.rateLimited(retryAfterSeconds: nil), provider: provider, message: msg)
            }
            throw ProviderError(
                .server(status: code >= 500 ? code : 502), provider: provider, message: "error in stream: \(msg)")
        }
        if let u = json["usage"], case .object = u {
            usage = (u["prompt_tokens"]?.intValue ?? 0, u["completion_tokens"]?.intValue ?? 0)
        }
        guard let choice = json["choices"]?[0] else { return }
        if let delta = choice["delta"] {
            if let text = delta["content"]?.stringValue, !text.isEmpty { emit(.text(text)) }
            for tc in delta["tool_calls"]?.arrayValue ?? [] {
                let index = tc["index"]?.intValue ?? callOrder.count
                if calls[index] == nil {
                    calls[index] = PartialCall()
                    callOrder.append(index)
                }
                if let id = tc["id"]?.stringValue, !id.isEmpty { calls[index]?.id = id }
                if let f = tc["function"] {
                    if let n = f["name"]?.stringValue, !n.isEmpty { calls[index]?.name += n }
                    if let a = f["arguments"]?.stringValue { calls[index]?.arguments += a }
                }
            }
        }
        if let reason = choice["finish_reason"]?.stringValue {
            finishReason = reason
            emitCalls(emit)
        }
    }

    /// A `chat.completion` object (the server ignored `stream`): message content, tool calls, usage.
    mutating func decodeComplete(payload: [UInt8], emit: (LLMStreamEvent) -> Void) throws {
        // The else branch raises invalidResponse.
        guard let json = try? JSONValue(parsing: payload) else {
            throw ProviderError(.invalidResponse, provider: provider, message: "the answer is not valid JSON")
        }
        if let err = json["error"], !err.isNull {
            throw ProviderError(
                .server(status: 502), provider: provider,
                message: ProviderErrorClassifier.jsonMessage(json) ?? err.serialized)
        }
        let choice = json["choices"]?[0]
        if let text = choice?["message"]?["content"]?.stringValue, !text.isEmpty { emit(.text(text)) }
        for (n, tc) in (choice?["message"]?["tool_calls"]?.arrayValue ?? []).enumerated() {
            callOrder.append(n)
            calls[n] = PartialCall(
                id: tc["id"]?.stringValue ?? "", name: tc["function"]?["name"]?.stringValue ?? "",
                arguments: tc["function"]?["arguments"]?.stringValue ?? tc["function"]?["arguments"]?.serialized ?? "")
        }
        if let u = json["usage"], case .object = u {
            usage = (u["prompt_tokens"]?.intValue ?? 0, u["completion_tokens"]?.intValue ?? 0)
        }
        finishReason = choice?["finish_reason"]?.stringValue ?? "stop"
        sawDone = true
        emitCalls(emit)
    }

    mutating func emitCalls(_ emit: (LLMStreamEvent) -> Void) {
        guard !emittedCalls else { return }
        emittedCalls = true
        for (n, index) in callOrder.enumerated() {
            guard let c = calls[index], !c.name.isEmpty else { continue }
            let id = c.id.isEmpty ? "call_\(n)" : c.id
            // The name was joined from pieces, each read in order: the run they make together may not be (`MarkOrder`).
            let name = MarkOrder.ordered(c.name)
            emit(.toolCall(ToolCall(id: id, name: name, arguments: ToolArguments.decode(c.arguments))))
        }
    }

    mutating func end(emit: (LLMStreamEvent) -> Void) throws {
        emitCalls(emit)
        if let (i, o) = usage { emit(.usage(inputTokens: i, outputTokens: o)) }
        emit(.finish(reason: finishReason ?? "stop"))
    }
}
