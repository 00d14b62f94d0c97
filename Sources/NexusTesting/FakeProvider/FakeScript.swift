import NexusCore

/// A fake-provider script read from JSON, for running the fake server out of process:
///
/// ```json
/// {"models": ["fake-model"], "repeat_last": true, "replies": [
///   {"text": ["Hel", "lo"], "usage": {"input": 10, "output": 2}, "delay_ms": 20},
///   {"tool_call": {"name": "get_weather", "arguments": {"city": "Paris"}, "id": "call_1"}},
///   {"error": 429, "retry_after": "1"}, {"error": 500, "message": "boom"},
///   {"html": 502, "title": "502 Bad Gateway"}, {"drop_after": ["partial "]}, {"hang": true},
///   {"raw": ["data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n", "data: {broken\n\n"],
///    "status": 200, "content_type": "text/event-stream"}]}
/// ```
/// `raw` sends exactly those pieces, each its own write, whatever protocol was asked: malformed streams,
/// bodies that are not JSON, an SSE stream that never says `[DONE]`.
public struct FakeScript: Sendable {
    public var models: [String]
    public var replies: [FakeReply]
    public var repeatLast: Bool

    public init(models: [String] = ["fake-model", "fake-large"], replies: [FakeReply], repeatLast: Bool = false) {
        self.models = models
        self.replies = replies
        self.repeatLast = repeatLast
    }

    /// Parses a script; errors name the reply index and the key.
    public init(json text: String) throws {
        let root: JSONValue
        do { root = try JSONValue(parsing: text) } catch {
            throw NexusError("fake provider script: \(error)")
        }
        guard case .object = root else { throw NexusError("fake provider script: the top level must be an object") }
        models = root["models"]?.arrayValue?.compactMap(\.stringValue) ?? ["fake-model", "fake-large"]
        repeatLast = root["repeat_last"]?.boolValue ?? false
        replies = []
        for (i, r) in (root["replies"]?.arrayValue ?? []).enumerated() {
            replies.append(try FakeScript.reply(r, index: i))
        }
    }

    static func reply(_ r: JSONValue, index: Int) throws -> FakeReply {
        let usage: FakeUsage? =
            r["usage"].map {
                FakeUsage(input: $0["input"]?.intValue ?? 0, output: $0["output"]?.intValue ?? 0)
            } ?? FakeUsage(input: 12, output: 7)
        let delay = r["delay_ms"]?.intValue ?? 0
        let texts = r["text"]?.arrayValue?.compactMap(\.stringValue) ?? r["text"]?.stringValue.map { [$0] } ?? []
        if let tc = r["tool_call"] {
            guard let name = tc["name"]?.stringValue else {
                throw NexusError("fake provider script: replies[\(index)].tool_call needs a \"name\"")
            }
            let args = tc["arguments"].map { $0.stringValue ?? $0.serialized } ?? "{}"
            let call = FakeToolCall(id: tc["id"]?.stringValue ?? "call_\(index)", name: name, arguments: args)
            return FakeReply(.stream(FakeStream(chunks: texts, toolCalls: [call], usage: usage, delayMs: delay)))
        }
        if let status = r["error"]?.intValue {
            var headers: [(String, String)] = []
            if let ra = r["retry_after"] { headers.append(("Retry-After", ra.stringValue ?? ra.serialized)) }
            return FakeReply(.error(status: status, message: r["message"]?.stringValue, headers: headers))
        }
        if let status = r["html"]?.intValue {
            return .html(status, title: r["title"]?.stringValue ?? "\(status) \(FakeProviderServer.reason(status))")
        }
        if let drop = r["drop_after"]?.arrayValue {
            return FakeReply(
                .stream(
                    FakeStream(
                        chunks: drop.compactMap(\.stringValue), usage: nil, delayMs: delay, dropAfterChunks: drop.count)
                ))
        }
        if r["hang"]?.boolValue == true { return .hang }
        if let raw = r["raw"]?.arrayValue {
            return FakeReply(
                .raw(
                    status: r["status"]?.intValue ?? 200,
                    contentType: r["content_type"]?.stringValue ?? "text/event-stream",
                    pieces: raw.compactMap(\.stringValue), delayMs: delay))
        }
        if r["text"] != nil {
            return FakeReply(.stream(FakeStream(chunks: texts, usage: usage, delayMs: delay)))
        }
        throw NexusError(
            "fake provider script: replies[\(index)] needs one of text, tool_call, error, html, drop_after, hang, raw")
    }
}
