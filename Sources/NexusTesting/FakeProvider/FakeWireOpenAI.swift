import NexusCore

/// Chat Completions as OpenAI streams it: `chat.completion.chunk` objects, tool-call fragments by index,
/// a usage chunk with empty `choices`, then `data: [DONE]`.
enum FakeWireOpenAI {
    static func events(_ s: FakeStream, model: String) -> [FakeEvent] {
        let id = "chatcmpl-fake\(s.chunks.count)\(s.toolCalls.count)"
        func chunk(_ delta: JSONValue, finish: String? = nil) -> FakeEvent {
            let choice: JSONValue = [
                "index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish.map { .string($0) } ?? .null,
            ]
            let obj: JSONValue = [
                "id": .string(id), "object": "chat.completion.chunk", "created": 1_735_689_600, "model": .string(model),
                "system_fingerprint": "fp_fake", "choices": [choice],
            ]
            return FakeEvent(bytes: "data: \(obj.serialized)\n\n")
        }
        var out: [FakeEvent] = [chunk(["role": "assistant", "content": "", "refusal": nil])]
        out[0].isPreamble = true
        for (n, text) in s.chunks.enumerated() {
            if s.noise && n == 1 { out.append(FakeEvent(bytes: ": keep-alive\n\n")) }
            var e = chunk(["content": .string(text)])
            e.isTextChunk = true
            out.append(e)
        }
        for (i, call) in s.toolCalls.enumerated() {
            out.append(
                chunk([
                    "tool_calls": [
                        [
                            "index": .number(Double(i)), "id": .string(call.id), "type": "function",
                            "function": ["name": .string(call.name), "arguments": ""],
                        ]
                    ]
                ]))
            for piece in FakeWireProtocol.fragments(call.arguments, 3) {
                out.append(
                    chunk(["tool_calls": [["index": .number(Double(i)), "function": ["arguments": .string(piece)]]]]))
            }
        }
        out.append(chunk([:], finish: s.toolCalls.isEmpty ? "stop" : "tool_calls"))
        if let u = s.usage {
            let obj: JSONValue = [
                "id": .string(id), "object": "chat.completion.chunk", "created": 1_735_689_600, "model": .string(model),
                "choices": [],
                "usage": [
                    "prompt_tokens": .number(Double(u.input)), "completion_tokens": .number(Double(u.output)),
                    "total_tokens": .number(Double(u.input + u.output)),
                ],
            ]
            out.append(FakeEvent(bytes: "data: \(obj.serialized)\n\n"))
        }
        out.append(FakeEvent(bytes: "data: [DONE]\n\n"))
        return out
    }

    static func errorBody(status: Int, message: String?, model: String) -> String {
        let (msg, type, code): (String, String, JSONValue) =
            switch status {
            case 401:
                (
                    "Incorrect API key provided: sk-fake***. You can find your API key at https://platform.openai.com/account/api-keys.",
                    "invalid_request_error", "invalid_api_key"
                )
            case 404:
                (
                    "The model `\(model)` does not exist or you do not have access to it.", "invalid_request_error",
                    "model_not_found"
                )
            case 429:
                (
                    "Rate limit reached for \(model) on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.",
                    "requests", "rate_limit_exceeded"
                )
            case 500...599:
                ("The server had an error while processing your request. Sorry about that!", "server_error", nil)
            default: ("Invalid request.", "invalid_request_error", nil)
            }
        let e: JSONValue = [
            "error": ["message": .string(message ?? msg), "type": .string(type), "param": nil, "code": code]
        ]
        return e.serialized
    }
}
