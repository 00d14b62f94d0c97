import NexusCore

/// Turns texts into embedding vectors over HTTP, for the tool picker's semantic half.
///
/// Two wire forms cover the sources nexus supports: the OpenAI-compatible `POST …/v1/embeddings` (OpenAI and
/// compatible providers, llama.cpp's and llama-cpp-python's servers, scripts/minilm-embed.py) and Ollama's
/// `POST /api/embed`. The answer is someone else's output: every vector is checked (count, equal dimension,
/// finite numbers) before it is used.
public struct EmbeddingClient: Sendable {
    public enum API: String, Sendable, CaseIterable {
        case openAI = "openai"
        case ollama
    }

    public let api: API
    /// The full endpoint, e.g. http://127.0.0.1:8089/v1/embeddings or http://127.0.0.1:11434/api/embed.
    public let url: String
    public let model: String
    public let apiKey: String?
    public let http: HTTPClient

    public init(api: API, url: String, model: String, apiKey: String? = nil, http: HTTPClient = HTTPClient()) {
        self.api = api
        self.url = url
        self.model = model
        self.apiKey = apiKey
        self.http = http
    }

    /// One vector per text, in order. `timeout` bounds both connecting and waiting for the answer.
    public func embed(_ texts: [String], timeout: Double) async throws(EmbeddingError) -> [[Float]] {
        try await embedAnswer(texts, timeout: timeout).vectors
    }

    /// What a server answered: the vectors, and the model it says made them (OpenAI's and Ollama's answers
    /// both name it), so stored vectors are keyed by what really produced them, not by what was asked for.
    public struct Answer: Sendable {
        public var vectors: [[Float]]
        public var model: String?
    }

    /// `embed`, with the model the server named.
    public func embedAnswer(_ texts: [String], timeout: Double) async throws(EmbeddingError) -> Answer {
        guard !texts.isEmpty else { return Answer(vectors: [], model: nil) }
        var body = JSONObject()
        body["model"] = .string(model)
        body["input"] = .array(texts.map { .string($0) })
        var headers = [("Content-Type", "application/json")]
        if let apiKey, !apiKey.isEmpty { headers.append(("Authorization", "Bearer \(apiKey)")) }
        let request = HTTPRequest(
            method: .post, url: url, headers: headers, body: Array(JSONValue.object(body).serialized.utf8),
            connectTimeout: timeout, readTimeout: timeout, label: "embeddings")
        let head: HTTPResponseHead
        let bytes: [UInt8]
        // A vector of 4096 dimensions is about 100 KB of JSON: 1 MB a text is plenty, and a hostile server's
        // endless answer is cut there rather than parsed.
        let limit = min(64 << 20, texts.count << 20)
        do { (head, bytes) = try await http.fetch(request, limit: limit) } catch {
            let text = (error as? any UserFacingError)?.userMessage ?? "\(error)"
            throw .unreachable(url: url, reason: text.hasPrefix("embeddings: ") ? String(text.dropFirst(12)) : text)
        }
        guard head.status == 200 else {
            throw .status(url: url, status: head.status, body: String(decoding: bytes.prefix(200), as: UTF8.self))
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: bytes) } catch { throw .malformed(url: url, reason: error.description) }
        let rows: [JSONValue]
        switch api {
        case .openAI:
            // {"data": [{"index": i, "embedding": [...]}, ...]}; servers may answer out of order.
            let data = json["data"]?.arrayValue ?? []
            let sorted = data.enumerated().sorted {
                ($0.element["index"]?.doubleValue ?? Double($0.offset))
                    < ($1.element["index"]?.doubleValue ?? Double($1.offset))
            }
            rows = sorted.map { $0.element["embedding"] ?? .null }
        case .ollama:
            rows = json["embeddings"]?.arrayValue ?? []
        }
        guard rows.count == texts.count else {
            throw .malformed(url: url, reason: "\(rows.count) vectors for \(texts.count) texts")
        }
        var out: [[Float]] = []
        out.reserveCapacity(rows.count)
        for row in rows {
            guard let values = row.arrayValue, !values.isEmpty else {
                throw .malformed(url: url, reason: "a vector is missing")
            }
            var v: [Float] = []
            v.reserveCapacity(values.count)
            for x in values {
                guard let d = x.doubleValue, d.isFinite else {
                    throw .malformed(url: url, reason: "a vector holds a non-number")
                }
                v.append(Float(d))
            }
            if let first = out.first, first.count != v.count {
                throw .malformed(url: url, reason: "vectors of \(first.count) and \(v.count) dimensions in one answer")
            }
            out.append(v)
        }
        // A name is someone else's text too: kept only when short and printable.
        let named = json["model"]?.stringValue.flatMap { name in
            name.count <= 200 && name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F } ? name : nil
        }
        return Answer(vectors: out, model: named)
    }
}

/// Why an embedding request failed; the picker falls back to lexical ranking on any of these.
public enum EmbeddingError: UserFacingError, Equatable {
    case unreachable(url: String, reason: String)
    case status(url: String, status: Int, body: String)
    case malformed(url: String, reason: String)
    case timedOut(url: String, milliseconds: Int)

    public var userMessage: String {
        switch self {
        case .unreachable(let url, let reason): "embeddings: \(url) unreachable: \(reason)"
        case .status(let url, let status, let body): "embeddings: \(url) answered HTTP \(status): \(body)"
        case .malformed(let url, let reason): "embeddings: \(url) sent an unusable answer: \(reason)"
        case .timedOut(let url, let ms): "embeddings: \(url) did not answer within \(ms) ms"
        }
    }

    public var hint: String? {
        "the picker stays lexical; check [embeddings] in nexus.toml (url, api, model) or run `nexus doctor`"
    }
}
