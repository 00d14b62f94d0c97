import NexusCore

/// Turns an HTTP error response (any status ≥ 300, any body: JSON, HTML, plain text or nothing) into a
/// classified `ProviderError` with a one-line message a person can act on.
///
/// All four wire protocols put a message somewhere in a JSON error body; proxies and gateways send HTML
/// pages instead. Retry/failover decide on the kind; people read the message.
enum ProviderErrorClassifier {
    static let maxMessageLength = 200

    /// Classifies a failed completion call; for a missing model it asks the server what it offers.
    static func classify(
        status: Int, head: HTTPResponseHead, body: [UInt8], endpoint: ProviderEndpoint, model: String,
        listModels: @Sendable () async throws -> [String]
    ) async -> ProviderError {
        let detail = summarize(body: body, contentType: head.header("content-type"))
        if status == 404 || (status == 400 && mentionsMissingModel(detail))
            || (status != 429 && status < 500 && mentionsMissingModel(detail))
        {
            // Only sharpens the hint of an error already being raised; a failed listing keeps the plain one.
            if let models = try? await listModels(), !models.isEmpty || status == 404 {
                if !models.contains(model) {
                    let shown = models.prefix(20).joined(separator: ", ")
                    let list =
                        models.isEmpty
                        ? "the server lists no models" : "available: \(shown)\(models.count > 20 ? ", …" : "")"
                    let pull = endpoint.kind == .ollama ? "; to fetch it: ollama pull \(model)" : ""
                    return ProviderError(
                        .unknownModel(available: models), provider: endpoint.name,
                        message: "model '\(model)' is not served by \(endpoint.baseURL) (\(list))\(pull)")
                }
            }
            if status == 404, !mentionsMissingModel(detail) {
                return ProviderError(
                    .badRequest(status: 404), provider: endpoint.name,
                    message: "HTTP 404 from \(endpoint.baseURL): \(detail) — is base_url the API root?")
            }
            return ProviderError(
                .unknownModel(available: []), provider: endpoint.name, message: "model '\(model)': \(detail)")
        }
        return basicError(status: status, head: head, body: body, endpoint: endpoint)
    }

    /// Classification by status alone (no model lookup): used for model listing and as the fallback.
    static func basicError(status: Int, head: HTTPResponseHead, body: [UInt8], endpoint: ProviderEndpoint)
        -> ProviderError
    {
        let detail = summarize(body: body, contentType: head.header("content-type"))
        let name = endpoint.name
        switch status {
        case 401, 403:
            let env = endpoint.apiKeyEnv
            // No key sent is not a key rejected: the fix is to give one, not to check one.
            guard let key = endpoint.apiKey, !key.isEmpty else {
                let give = env.map { "set \($0)" } ?? "set api_key_env in its [providers] table"
                return ProviderError(
                    .unauthorized(envVar: env), provider: name,
                    message: "HTTP \(status), the server wants an API key and none was sent: \(detail); \(give)")
            }
            let fix = env.map { "check \($0)" } ?? "check the key this provider is given"
            return ProviderError(
                .unauthorized(envVar: env), provider: name,
                message: "HTTP \(status), the API key was rejected: \(detail); \(fix)")
        case 429:
            var retry = head.retryAfterSeconds ?? RetryAfter.httpDate(head.header("retry-after"))
            if retry == nil { retry = retryDelayInBody(body) }
            if retry == nil { retry = RetryAfter.duration(head.header("x-ratelimit-reset-requests")) }
            if retry == nil { retry = RetryAfter.fromMessage(detail) }
            let wait = retry.map { ", retry after \(Seconds.describe($0))" } ?? ""
            return ProviderError(
                .rateLimited(retryAfterSeconds: retry), provider: name,
                message: "rate limited (HTTP 429\(wait)): \(detail)")
        case 408:
            return ProviderError(.timeout, provider: name, message: "HTTP 408 request timeout: \(detail)")
        case 500...599:
            return ProviderError(
                .server(status: status), provider: name, message: "server error HTTP \(status): \(detail)")
        default:
            return ProviderError(.badRequest(status: status), provider: name, message: "HTTP \(status): \(detail)")
        }
    }

    /// One bounded line describing an error body: the JSON error message, an HTML page's title or first
    /// text, or the first line of plain text.
    static func summarize(body: [UInt8], contentType: String?) -> String {
        if body.isEmpty { return "empty response body" }
        // A body that is not JSON is quoted as text below.
        if let json = try? JSONValue(parsing: body), let m = jsonMessage(json) { return bound(m) }
        let text = String(decoding: body.prefix(64 << 10), as: UTF8.self)
        let isHTML = (contentType?.lowercased().contains("html") ?? false) || text.trimmingSpaces.hasPrefix("<")
        if isHTML { return bound("HTML page: " + htmlSummary(text)) }
        let line =
            text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { String($0).trimmingSpaces }
            .first { !$0.isEmpty } ?? ""
        return bound(line.isEmpty ? "blank response body" : line)
    }

    /// The message inside the JSON error shapes the four protocols (and common proxies) use.
    static func jsonMessage(_ json: JSONValue) -> String? {
        if case .array(let a) = json, let first = a.first { return jsonMessage(first) }
        if let e = json["error"] {
            if let s = e.stringValue { return s }
            if let m = e["message"]?.stringValue {
                let code = e["status"]?.stringValue ?? e["type"]?.stringValue ?? e["code"]?.stringValue
                return code.map { "\(m) (\($0))" } ?? m
            }
        }
        if let m = json["message"]?.stringValue { return m }
        if let d = json["detail"]?.stringValue { return d }
        return nil
    }

    static func mentionsMissingModel(_ text: String) -> Bool {
        let t = text.lowercased()
        guard t.contains("model") else { return false }
        return t.contains("not found") || t.contains("does not exist") || t.contains("not exist")
            || t.contains("model_not_found") || t.contains("unknown model") || t.contains("no such model")
            || t.contains("not_found")
    }

    /// Gemini puts the wait in the body: `"retryDelay": "30s"` inside `error.details`.
    static func retryDelayInBody(_ body: [UInt8]) -> Double? {
        // No JSON details: no retry hint from them.
        guard let json = try? JSONValue(parsing: body), let details = json["error"]?["details"]?.arrayValue else {
            return nil
        }
        for d in details {
            if var s = d["retryDelay"]?.stringValue, s.hasSuffix("s") {
                s.removeLast()
                if let v = Double(s), v >= 0, v.isFinite { return v }
            }
        }
        return nil
    }

    static func htmlSummary(_ html: String) -> String {
        let lower = html.lowercased()
        if let open = lower.firstRange(of: "<title"), let gt = lower[open.upperBound...].firstIndex(of: ">"),
            let close = lower[gt...].firstRange(of: "</title>")
        {
            let start = html.index(after: gt)
            let title = collapse(String(html[start..<close.lowerBound]))
            if !title.isEmpty { return title }
        }
        return collapse(stripTags(html))
    }

    static func stripTags(_ html: String) -> String {
        var out = ""
        var inTag = false
        for ch in html {
            if ch == "<" {
                inTag = true
                out.append(" ")
            } else if ch == ">" {
                inTag = false
            } else if !inTag {
                out.append(ch)
            }
        }
        return out
    }

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    static func bound(_ s: String) -> String {
        let one = collapse(s)
        return one.count > maxMessageLength ? String(one.prefix(maxMessageLength)) + "…" : one
    }
}
