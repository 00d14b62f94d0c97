import NexusCore

/// Ollama's native `/api/chat` stream: one JSON object per line, `message.content` pieces,
/// `message.tool_calls` with argument objects, and a last `done: true` line carrying
/// `prompt_eval_count` / `eval_count`.
enum FakeWireOllama {
    static func events(_ s: FakeStream, model: String) -> [FakeEvent] {
        func line(_ o: JSONValue) -> FakeEvent { FakeEvent(bytes: o.serialized + "\n") }
        var out: [FakeEvent] = []
        for (n, text) in s.chunks.enumerated() {
            if s.noise && n == 1 { out.append(FakeEvent(bytes: "\n")) }
            var e = line([
                "model": .string(model), "created_at": "2025-01-01T00:00:00.000000Z",
                "message": ["role": "assistant", "content": .string(text)], "done": false,
            ])
            e.isTextChunk = true
            out.append(e)
        }
        if !s.toolCalls.isEmpty {
            let calls: [JSONValue] = s.toolCalls.enumerated().map { i, c in
                [
                    "function": [
                        "index": .number(Double(i)), "name": .string(c.name),
                        "arguments": FakeWireProtocol.argumentsObject(c.arguments),
                    ]
                ]
            }
            out.append(
                line([
                    "model": .string(model), "created_at": "2025-01-01T00:00:00.000000Z",
                    "message": ["role": "assistant", "content": "", "tool_calls": .array(calls)], "done": false,
                ]))
        }
        var last: JSONObject = JSONObject([
            ("model", .string(model)), ("created_at", "2025-01-01T00:00:01.000000Z"),
            ("message", ["role": "assistant", "content": ""]), ("done", true), ("done_reason", "stop"),
            ("total_duration", 1_000_000), ("load_duration", 1000),
        ])
        if let u = s.usage {
            last["prompt_eval_count"] = .number(Double(u.input))
            last["prompt_eval_duration"] = 1000
            last["eval_count"] = .number(Double(u.output))
            last["eval_duration"] = 1000
        }
        out.append(line(.object(last)))
        return out
    }

    static func errorBody(status: Int, message: String?, model: String) -> String {
        let msg: String =
            switch status {
            case 401: "unauthorized"
            case 404: "model \"\(model)\" not found, try pulling it first"
            case 429: "too many requests"
            default: "llama runner process has terminated: exit status 2"
            }
        return JSONValue.object(JSONObject([("error", .string(message ?? msg))])).serialized
    }
}
