import NexusCore

/// One piece of a rendered stream; `isTextChunk` marks where a scripted drop may cut.
struct FakeEvent {
    var bytes: String
    var isTextChunk: Bool = false
    /// Opening events sent before any text (role chunk, message_start): kept when a drop is scripted.
    var isPreamble: Bool = false
}

/// What differs between the four protocols on the fake server's side: how a stream, an error body and
/// a model list look, where the model name is, and which tool results a request carries.
extension FakeWireProtocol {
    /// The protocol a request path belongs to, or nil for an unknown path.
    static func forChat(path: String, method: String) -> FakeWireProtocol? {
        let p = path.split(separator: "?").first.map(String.init) ?? path
        guard method == "POST" else { return nil }
        if p.hasSuffix("/chat/completions") { return .openai }
        if p.hasSuffix("/v1/messages") { return .anthropic }
        if p.contains("/v1beta/models/") && (p.hasSuffix(":streamGenerateContent") || p.hasSuffix(":generateContent")) {
            return .gemini
        }
        if p.hasSuffix("/api/chat") { return .ollama }
        return nil
    }

    var streamContentType: String { self == .ollama ? "application/x-ndjson" : "text/event-stream" }

    func streamEvents(_ s: FakeStream, model: String) -> [FakeEvent] {
        switch self {
        case .openai: FakeWireOpenAI.events(s, model: model)
        case .anthropic: FakeWireAnthropic.events(s, model: model)
        case .gemini: FakeWireGemini.events(s, model: model)
        case .ollama: FakeWireOllama.events(s, model: model)
        }
    }

    func errorBody(status: Int, message: String?, model: String) -> String {
        switch self {
        case .openai: FakeWireOpenAI.errorBody(status: status, message: message, model: model)
        case .anthropic: FakeWireAnthropic.errorBody(status: status, message: message, model: model)
        case .gemini: FakeWireGemini.errorBody(status: status, message: message, model: model)
        case .ollama: FakeWireOllama.errorBody(status: status, message: message, model: model)
        }
    }

    /// The model a chat request asks for.
    func model(in json: JSONValue?, path: String) -> String? {
        if self == .gemini {
            guard let r = path.firstRange(of: "/models/") else { return nil }
            let rest = path[r.upperBound...]
            return rest.split(separator: ":").first.map(String.init)
        }
        return json?["model"]?.stringValue
    }

    /// Ids (or, where the protocol has none, names) of the tool results a request sends back.
    func toolResultKeys(in json: JSONValue?) -> [String] {
        guard let json else { return [] }
        var out: [String] = []
        switch self {
        case .openai:
            for m in json["messages"]?.arrayValue ?? [] where m["role"]?.stringValue == "tool" {
                out.append(m["tool_call_id"]?.stringValue ?? "")
            }
        case .anthropic:
            for m in json["messages"]?.arrayValue ?? [] {
                for b in m["content"]?.arrayValue ?? [] where b["type"]?.stringValue == "tool_result" {
                    out.append(b["tool_use_id"]?.stringValue ?? "")
                }
            }
        case .gemini:
            for c in json["contents"]?.arrayValue ?? [] {
                for p in c["parts"]?.arrayValue ?? [] {
                    if let fr = p["functionResponse"] {
                        out.append(fr["id"]?.stringValue ?? fr["name"]?.stringValue ?? "")
                    }
                }
            }
        case .ollama:
            for m in json["messages"]?.arrayValue ?? [] where m["role"]?.stringValue == "tool" {
                out.append(m["tool_name"]?.stringValue ?? "")
            }
        }
        return out
    }

    /// The key `toolResultKeys` reports for a call the fake made.
    func resultKey(for call: FakeToolCall) -> String {
        switch self {
        case .openai, .anthropic: call.id
        case .gemini: call.id
        case .ollama: call.name
        }
    }

    func modelList(_ models: [String]) -> JSONValue {
        switch self {
        case .openai, .anthropic:
            return [
                "object": "list",
                "data": .array(
                    models.map {
                        [
                            "id": .string($0), "object": "model", "type": "model", "display_name": .string($0),
                            "owned_by": "fake",
                        ]
                    }),
                "has_more": false,
            ]
        case .gemini:
            return [
                "models": .array(
                    models.map {
                        [
                            "name": .string("models/\($0)"), "displayName": .string($0),
                            "supportedGenerationMethods": ["generateContent", "streamGenerateContent"],
                        ]
                    })
            ]
        case .ollama:
            return ["models": .array(models.map { ["name": .string($0), "model": .string($0), "size": 1_000_000] })]
        }
    }

    /// Arguments text as a JSON value when it parses (protocols that send objects, not strings).
    static func argumentsObject(_ raw: String) -> JSONValue {
        // Arguments that are not JSON are kept as the raw string, as providers send them.
        (try? JSONValue(parsing: raw)) ?? .string(raw)
    }

    /// Splits text into roughly `n` pieces, as servers stream argument fragments.
    static func fragments(_ s: String, _ n: Int) -> [String] {
        let chars = Array(s)
        guard chars.count > n, n > 1 else { return [s] }
        let size = (chars.count + n - 1) / n
        return stride(from: 0, to: chars.count, by: size).map { String(chars[$0..<min(chars.count, $0 + size)]) }
    }
}
