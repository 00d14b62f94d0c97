import NexusCore

/// The Messages API stream as Anthropic sends it: `message_start`, content blocks (text deltas,
/// tool_use with `input_json_delta` fragments), pings, `message_delta` with usage, `message_stop`.
enum FakeWireAnthropic {
    static func events(_ s: FakeStream, model: String) -> [FakeEvent] {
        func ev(_ name: String, _ data: JSONValue) -> FakeEvent {
            FakeEvent(bytes: "event: \(name)\ndata: \(data.serialized)\n\n")
        }
        let usage = s.usage ?? FakeUsage(input: 0, output: 0)
        var out: [FakeEvent] = [
            ev(
                "message_start",
                [
                    "type": "message_start",
                    "message": [
                        "id": "msg_fake01", "type": "message", "role": "assistant", "content": [],
                        "model": .string(model),
                        "stop_reason": nil, "stop_sequence": nil,
                        "usage": [
                            "input_tokens": .number(Double(usage.input)), "cache_creation_input_tokens": 0,
                            "cache_read_input_tokens": 0, "output_tokens": 1,
                        ],
                    ],
                ])
        ]
        out[0].isPreamble = true
        var index = 0
        if !s.chunks.isEmpty {
            out.append(
                ev(
                    "content_block_start",
                    ["type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""]]))
            out.append(ev("ping", ["type": "ping"]))
            out[out.count - 2].isPreamble = true
            out[out.count - 1].isPreamble = true
            for (n, text) in s.chunks.enumerated() {
                if s.noise && n == 1 {
                    out.append(FakeEvent(bytes: ": comment line\n\n"))
                    out.append(ev("future_event_type", ["type": "future_event_type", "detail": "ignored by clients"]))
                }
                var e = ev(
                    "content_block_delta",
                    [
                        "type": "content_block_delta", "index": 0,
                        "delta": ["type": "text_delta", "text": .string(text)],
                    ])
                e.isTextChunk = true
                out.append(e)
            }
            out.append(ev("content_block_stop", ["type": "content_block_stop", "index": 0]))
            index = 1
        }
        for call in s.toolCalls {
            let i = JSONValue.number(Double(index))
            out.append(
                ev(
                    "content_block_start",
                    [
                        "type": "content_block_start", "index": i,
                        "content_block": [
                            "type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": [:],
                        ],
                    ]))
            for piece in FakeWireProtocol.fragments(call.arguments, 3) {
                out.append(
                    ev(
                        "content_block_delta",
                        [
                            "type": "content_block_delta", "index": i,
                            "delta": ["type": "input_json_delta", "partial_json": .string(piece)],
                        ]))
            }
            out.append(ev("content_block_stop", ["type": "content_block_stop", "index": i]))
            index += 1
        }
        out.append(
            ev(
                "message_delta",
                [
                    "type": "message_delta",
                    "delta": [
                        "stop_reason": .string(s.toolCalls.isEmpty ? "end_turn" : "tool_use"), "stop_sequence": nil,
                    ],
                    "usage": ["output_tokens": .number(Double(usage.output))],
                ]))
        out.append(ev("message_stop", ["type": "message_stop"]))
        return out
    }

    static func errorBody(status: Int, message: String?, model: String) -> String {
        let (type, msg): (String, String) =
            switch status {
            case 400: ("invalid_request_error", "invalid request")
            case 401: ("authentication_error", "invalid x-api-key")
            case 403: ("permission_error", "Your API key does not have permission to use the specified resource.")
            case 404: ("not_found_error", "model: \(model)")
            case 429: ("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")
            case 529: ("overloaded_error", "Overloaded")
            default: ("api_error", "Internal server error")
            }
        let e: JSONValue = ["type": "error", "error": ["type": .string(type), "message": .string(message ?? msg)]]
        return e.serialized
    }
}
