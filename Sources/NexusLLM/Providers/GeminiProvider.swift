import NexusCore

/// Google's Gemini API: `POST {base}/v1beta/models/{model}:streamGenerateContent?alt=sse` with
/// `x-goog-api-key`, streamed as SSE of GenerateContentResponse objects.
public struct GeminiProvider: LLMProvider {
    /// Prefix of the ids we make up for function calls that came without one.
    static let syntheticIDPrefix = "gemini-call-"
    /// Gemini's thinking models sign function calls and want the signature back with the call; it
    /// rides in the call id after this marker (ids are opaque to everyone else).
    static let signatureMarker = "#ts="

    /// (call id as Gemini knows it or nil if synthetic, thought signature or nil).
    static func splitID(_ id: String) -> (id: String?, signature: String?) {
        var base = id
        var sig: String?
        if let r = id.firstRange(of: signatureMarker) {
            base = String(id[..<r.lowerBound])
            sig = String(id[r.upperBound...])
        }
        return (base.hasPrefix(syntheticIDPrefix) ? nil : base, sig)
    }
    public let endpoint: ProviderEndpoint
    public var name: String { endpoint.name }
    public var kind: ProviderKind { .gemini }
    public var isLocal: Bool { endpoint.isLocal }

    public init(endpoint: ProviderEndpoint) {
        self.endpoint = endpoint
    }

    public func stream(_ request: LLMRequest) -> AsyncThrowingStream<LLMStreamEvent, any Error> {
        let path = "/v1beta/models/\(GeminiWire.escapeModel(request.model)):streamGenerateContent?alt=sse"
        let http = endpoint.request(.post, path: path, headers: authHeaders, json: GeminiWire.requestBody(request))
        let me = self
        return ProviderStreamRunner.stream(
            endpoint: endpoint, model: request.model, request: http, framing: .sse,
            decoder: GeminiStreamDecoder(provider: name), listModels: { try await me.listModels() })
    }

    /// `GET {base}/v1beta/models` → `models[].name` without the `models/` prefix.
    public func listModels() async throws -> [String] {
        let json = try await endpoint.getJSON(path: "/v1beta/models?pageSize=1000", headers: authHeaders)
        return (json["models"]?.arrayValue ?? []).compactMap { m in
            guard let n = m["name"]?.stringValue else { return nil }
            return n.hasPrefix("models/") ? String(n.dropFirst(7)) : n
        }
    }

    var authHeaders: [(String, String)] {
        guard let key = endpoint.apiKey else { return [] }
        return [("x-goog-api-key", key)]
    }
}

/// generateContent request bodies: `contents` with user/model roles, `systemInstruction`,
/// `functionDeclarations`, `functionCall`/`functionResponse` parts, `generationConfig`.
enum GeminiWire {
    static func requestBody(_ r: LLMRequest) -> JSONValue {
        var o = JSONObject()
        var contents: [(role: String, parts: [JSONValue])] = []
        func add(_ role: String, _ parts: [JSONValue]) {
            if let last = contents.last, last.role == role {
                contents[contents.count - 1].parts += parts
            } else {
                contents.append((role, parts))
            }
        }
        for m in r.messages {
            switch m.role {
            case .system: continue
            case .user: add("user", [["text": .string(m.content)]])
            case .assistant:
                var parts: [JSONValue] = []
                if !m.content.isEmpty { parts.append(["text": .string(m.content)]) }
                for c in m.toolCalls {
                    let (id, signature) = GeminiProvider.splitID(c.id)
                    var fc = JSONObject()
                    if let id { fc["id"] = .string(id) }
                    fc["name"] = .string(c.name)
                    fc["args"] = c.arguments.objectValue != nil ? c.arguments : [:]
                    var part = JSONObject([("functionCall", .object(fc))])
                    if let signature { part["thoughtSignature"] = .string(signature) }
                    parts.append(.object(part))
                }
                if parts.isEmpty { parts.append(["text": ""]) }
                add("model", parts)
            case .tool:
                var fr = JSONObject()
                if let id = m.toolCallID.flatMap({ GeminiProvider.splitID($0).id }) { fr["id"] = .string(id) }
                fr["name"] = .string(m.toolName ?? "")
                fr["response"] = m.isError ? ["error": .string(m.content)] : ["output": .string(m.content)]
                add("user", [["functionResponse": .object(fr)]])
            }
        }
        o["contents"] = .array(contents.map { ["role": .string($0.role), "parts": .array($0.parts)] })
        let system = r.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        if !system.isEmpty { o["systemInstruction"] = ["parts": [["text": .string(system)]]] }
        if !r.tools.isEmpty {
            let decls: [JSONValue] = r.tools.map { t in
                var d = JSONObject([("name", .string(t.name)), ("description", .string(t.description))])
                if let schema = sanitize(t.inputSchema), schema["properties"]?.objectValue?.isEmpty == false {
                    d["parameters"] = schema
                }
                return .object(d)
            }
            o["tools"] = [["functionDeclarations": .array(decls)]]
        }
        var gen = JSONObject([("maxOutputTokens", .number(Double(r.maxTokens)))])
        if let t = r.temperature { gen["temperature"] = .number(t) }
        o["generationConfig"] = .object(gen)
        return .object(o)
    }

    /// Gemini accepts an OpenAPI subset of JSON Schema; keywords it rejects are dropped.
    static func sanitize(_ schema: JSONValue) -> JSONValue? {
        switch schema {
        case .object(let o):
            var out = JSONObject()
            for (k, v) in o.pairs {
                if ["$schema", "$id", "$ref", "additionalProperties", "definitions", "$defs", "examples", "default"]
                    .contains(k)
                {
                    continue
                }
                if k == "properties", case .object(let props) = v {
                    var p = JSONObject()
                    for (pk, pv) in props.pairs { p[pk] = sanitize(pv) ?? pv }
                    out[k] = .object(p)
                } else {
                    out[k] = sanitize(v) ?? v
                }
            }
            return .object(out)
        case .array(let a): return .array(a.map { sanitize($0) ?? $0 })
        default: return schema
        }
    }

    /// Model names go into the path; anything but [A-Za-z0-9._-] is percent-encoded.
    static func escapeModel(_ m: String) -> String {
        var out = ""
        for b in m.utf8 {
            let c = Character(Unicode.Scalar(b))
            if c.isLetter && b < 128 || c.isNumber && b < 128 || c == "." || c == "-" || c == "_" {
                out.append(c)
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

/// Decodes Gemini stream chunks: text parts (thought parts skipped), `functionCall` parts (complete),
/// `usageMetadata` (cumulative: the last wins), `finishReason` as the end marker, `promptFeedback`
/// blocks and in-stream `error` objects as failures.
struct GeminiStreamDecoder: WireStreamDecoder {
    let provider: String
    var finishReason: String?
    var usage: (Int, Int)?
    var calls = 0

    init(provider: String) {
        self.provider = provider
    }

    var isComplete: Bool { finishReason != nil }

    mutating func decode(event: String?, payload: [UInt8], emit: (LLMStreamEvent) -> Void) throws {
        let json: JSONValue
        do { json = try JSONValue(parsing: payload) } catch {
            throw ProviderError(
                .invalidResponse, provider: provider,
                message: "malformed stream event (\(error)): \(String(decoding: payload.prefix(120), as: UTF8.self))")
        }
        if let e = json["error"], !e.isNull {
            let code = e["code"]?.intValue ?? 500
            let msg = ProviderErrorClassifier.jsonMessage(json) ?? "stream error"
            if code == 429 {
                throw ProviderError(.rateLimited(retryAfterSeconds: nil), provider: provider, message: msg)
            }
            throw ProviderError(
                code >= 500 ? .server(status: code) : .badRequest(status: code), provider: provider,
                message: "error in stream: \(msg)")
        }
        if let block = json["promptFeedback"]?["blockReason"]?.stringValue {
            throw ProviderError(
                .badRequest(status: 400), provider: provider, message: "the prompt was blocked (\(block))")
        }
        if let u = json["usageMetadata"] {
            let out = (u["candidatesTokenCount"]?.intValue ?? 0) + (u["thoughtsTokenCount"]?.intValue ?? 0)
            usage = (u["promptTokenCount"]?.intValue ?? 0, out)
        }
        guard let cand = json["candidates"]?[0] else { return }
        for part in cand["content"]?["parts"]?.arrayValue ?? [] {
            if let t = part["text"]?.stringValue, part["thought"]?.boolValue != true, !t.isEmpty { emit(.text(t)) }
            if let fc = part["functionCall"], let name = fc["name"]?.stringValue {
                var id = fc["id"]?.stringValue ?? "\(GeminiProvider.syntheticIDPrefix)\(calls)-\(name)"
                if let sig = part["thoughtSignature"]?.stringValue { id += GeminiProvider.signatureMarker + sig }
                calls += 1
                var args = fc["args"] ?? [:]
                if case .string(let raw) = args { args = ToolArguments.decode(raw) }
                emit(.toolCall(ToolCall(id: id, name: name, arguments: args)))
            }
        }
        if let r = cand["finishReason"]?.stringValue { finishReason = r }
    }

    /// A whole response, or the JSON array streamGenerateContent sends without `alt=sse`.
    mutating func decodeComplete(payload: [UInt8], emit: (LLMStreamEvent) -> Void) throws {
        // Not a JSON array: decoded below as one object, which reports a bad payload.
        if let json = try? JSONValue(parsing: payload), case .array(let items) = json {
            for item in items { try decode(event: nil, payload: Array(item.serialized.utf8), emit: emit) }
            return
        }
        try decode(event: nil, payload: payload, emit: emit)
    }

    mutating func end(emit: (LLMStreamEvent) -> Void) throws {
        if let (i, o) = usage { emit(.usage(inputTokens: i, outputTokens: o)) }
        let reason: String =
            switch finishReason {
            case _ where calls > 0: "tool_calls"
            case "STOP", nil: "stop"
            case "MAX_TOKENS": "length"
            case let r?: r.lowercased()
            }
        emit(.finish(reason: reason))
    }
}
