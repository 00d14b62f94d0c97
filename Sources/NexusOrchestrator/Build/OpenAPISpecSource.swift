import NexusCore
import NexusEvolution
import NexusLLM

/// Where an `--openapi SPEC` comes from: a file, or an http(s) URL fetched here with NexusLLM's HTTP client
/// (NexusEvolution has no HTTP of its own), bounded like a file. An unreachable URL, a non-2xx answer or an
/// oversized body is a spec error (exit 2).
enum OpenAPISpecSource {
    static func document(_ spec: String) async throws -> OpenAPIDocument {
        guard spec.hasPrefix("http://") || spec.hasPrefix("https://") else {
            return try OpenAPIDocument.load(path: spec)
        }
        let limit = OpenAPIDocument.maxBytes
        let head: HTTPResponseHead
        let bytes: [UInt8]
        do {
            (head, bytes) = try await HTTPClient().fetch(
                HTTPRequest(
                    url: spec, headers: [("Accept", "application/json, application/yaml, text/yaml, */*")],
                    connectTimeout: 10, readTimeout: 30, label: "OpenAPI document"), limit: limit + 1)
        } catch {
            throw OpenAPIError.unreachable(
                url: spec, reason: (error as? any UserFacingError)?.userMessage ?? "\(error)")
        }
        guard (200..<300).contains(head.status) else {
            throw OpenAPIError.unreachable(url: spec, reason: "HTTP \(head.status)")
        }
        if bytes.count > limit { throw OpenAPIError.tooLarge(path: spec, bytes: bytes.count, limit: limit) }
        return try OpenAPIDocument.parse(String(decoding: bytes, as: UTF8.self), source: spec)
    }
}
