import NexusCore

/// The answer to `tools/call`, as the model will read it: content items rendered as text, whether the
/// tool reported an error, and the structured result.
///
/// Every content type MCP 2025-11-25 defines has a rendering: text as is; image and audio as a short tag
/// (the model gets no bytes); `resource_link` as its name and uri (plus description and type); an embedded
/// resource as its text, or its uri. A 2026-07-28 `input_required` result becomes an error that says what the
/// server asked for, since nexus cannot answer elicitation, sampling or roots requests yet.
public struct MCPToolResult: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public var structured: JSONValue?

    public init(text: String, isError: Bool, structured: JSONValue? = nil) {
        self.text = text
        self.isError = isError
        self.structured = structured
    }

    /// `tool` names the tool in the message for an `input_required` result.
    init(module: String, tool: String = "", json: JSONValue) throws(MCPError) {
        guard let o = json.objectValue else {
            throw .badResponse(
                module: module, method: "tools/call", detail: "result is \(json.kindName), expected an object")
        }
        if Self.isInputRequired(json) {
            text = Self.describeInputRequired(json, module: module, tool: tool)
            isError = true
            structured = nil
            return
        }
        var parts: [String] = []
        for item in o["content"]?.arrayValue ?? [] {
            parts.append(Self.render(item))
        }
        structured = o["structuredContent"]
        if parts.isEmpty, let s = structured { parts.append(s.serialized) }
        isError = o["isError"]?.boolValue ?? false
        if parts.isEmpty && isError { parts.append("module \(module): the tool reported an error without a message") }
        text = parts.joined(separator: "\n")
    }

    /// One content item as text for the model.
    static func render(_ item: JSONValue) -> String {
        switch item["type"]?.stringValue {
        case "text":
            return item["text"]?.stringValue ?? ""
        case "image", "audio":
            return "[\(item["type"]?.stringValue ?? "") \(item["mimeType"]?.stringValue ?? "")]"
        case "resource_link":
            let uri = item["uri"]?.stringValue ?? "(no uri)"
            let name = item["title"]?.stringValue ?? item["name"]?.stringValue ?? uri
            var line = "[resource link: \(name) <\(uri)>"
            if let mime = item["mimeType"]?.stringValue { line += " \(mime)" }
            line += "]"
            if let d = item["description"]?.stringValue, !d.isEmpty { line += " \(d)" }
            return line
        case "resource":
            return item["resource"]?["text"]?.stringValue ?? item["resource"]?["uri"]?.stringValue ?? item.serialized
        default:
            return item.serialized
        }
    }

    /// A 2026-07-28 interim result: the server needs more input before it can answer.
    static func isInputRequired(_ json: JSONValue) -> Bool {
        json["resultType"]?.stringValue == "input_required"
    }

    /// What an `input_required` result asks for, one line per request, for the model and the user.
    static func describeInputRequired(_ json: JSONValue, module: String, tool: String) -> String {
        let requests = json["inputRequests"]?.objectValue?.pairs ?? []
        var lines = [
            "module \(module): tool \(tool) needs input that nexus cannot provide yet, so it did not run to the end."
        ]
        if requests.isEmpty {
            lines.append("- it asked to be retried with its state, and still wanted more after 3 retries")
        }
        for (name, request) in requests.prefix(20) {
            // Server text, bounded: it reaches the model like any tool output.
            let key = String(name.prefix(80))
            let p = request["params"]
            switch request["method"]?.stringValue {
            case "elicitation/create":
                let message = p?["message"]?.stringValue.map { String($0.prefix(1000)) } ?? "(no message)"
                var line = "- \(key): asks the user: \(message)"
                if let url = p?["url"]?.stringValue { line += " (at \(url.prefix(500)))" }
                let fields = p?["requestedSchema"]?["properties"]?.objectValue?.keys ?? []
                if !fields.isEmpty { line += " (fields: \(fields.prefix(20).joined(separator: ", ")))" }
                lines.append(line)
            case "sampling/createMessage":
                let prompt = p?["messages"]?.arrayValue?.last?["content"]?["text"]?.stringValue ?? "(no text)"
                lines.append("- \(key): asks the model to answer: \(prompt.prefix(400))")
            case "roots/list":
                lines.append("- \(key): asks which directories it may use (roots)")
            default:
                let method = request["method"]?.stringValue.map { String($0.prefix(80)) }
                lines.append("- \(key): \(method ?? "an unknown request")")
            }
        }
        lines.append("Tell the user what the tool asked for; retrying the same call will ask again.")
        return lines.joined(separator: "\n")
    }
}
