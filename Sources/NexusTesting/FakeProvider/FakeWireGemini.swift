import NexusCore

/// `streamGenerateContent?alt=sse` as Gemini sends it: CRLF-framed `data:` events, each a
/// GenerateContentResponse with candidate parts (text or functionCall), cumulative `usageMetadata`,
/// and `finishReason` on the last one.
enum FakeWireGemini {
    static func events(_ s: FakeStream, model: String) -> [FakeEvent] {
        let usage = s.usage ?? FakeUsage(input: 0, output: 0)
        func ev(parts: [JSONValue], finish: Bool, outputSoFar: Int) -> FakeEvent {
            var candidate: JSONObject = JSONObject([("content", ["parts": .array(parts), "role": "model"])])
            if finish { candidate["finishReason"] = "STOP" }
            candidate["index"] = 0
            var meta = JSONObject([("promptTokenCount", .number(Double(usage.input)))])
            if outputSoFar > 0 { meta["candidatesTokenCount"] = .number(Double(outputSoFar)) }
            meta["totalTokenCount"] = .number(Double(usage.input + outputSoFar))
            var obj = JSONObject([("candidates", .array([.object(candidate)]))])
            if s.usage != nil { obj["usageMetadata"] = .object(meta) }
            obj["modelVersion"] = .string(model)
            obj["responseId"] = "fake-response-1"
            return FakeEvent(bytes: "data: \(JSONValue.object(obj).serialized)\r\n\r\n")
        }
        var out: [FakeEvent] = []
        let total = s.chunks.count
        for (n, text) in s.chunks.enumerated() {
            if s.noise && n == 1 { out.append(FakeEvent(bytes: ": ping\r\n\r\n")) }
            let last = n == total - 1 && s.toolCalls.isEmpty
            let soFar = total == 0 ? 0 : usage.output * (n + 1) / max(1, total)
            var e = ev(parts: [["text": .string(text)]], finish: last, outputSoFar: last ? usage.output : soFar)
            e.isTextChunk = true
            out.append(e)
        }
        if s.chunks.isEmpty && s.toolCalls.isEmpty {
            out.append(ev(parts: [["text": ""]], finish: true, outputSoFar: usage.output))
        }
        if !s.toolCalls.isEmpty {
            let parts: [JSONValue] = s.toolCalls.map { c in
                [
                    "functionCall": [
                        "id": .string(c.id), "name": .string(c.name),
                        "args": FakeWireProtocol.argumentsObject(c.arguments),
                    ]
                ]
            }
            out.append(ev(parts: parts, finish: true, outputSoFar: usage.output))
        }
        return out
    }

    static func errorBody(status: Int, message: String?, model: String) -> String {
        let (st, msg): (String, String) =
            switch status {
            case 400: ("INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.")
            case 401: ("UNAUTHENTICATED", "Request had invalid authentication credentials.")
            case 403:
                (
                    "PERMISSION_DENIED",
                    "Method doesn't allow unregistered callers. Please use API Key or other form of API consumer identity to call this API."
                )
            case 404:
                (
                    "NOT_FOUND",
                    "models/\(model) is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods."
                )
            case 429:
                ("RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.")
            case 503: ("UNAVAILABLE", "The model is overloaded. Please try again later.")
            default:
                (
                    "INTERNAL",
                    "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"
                )
            }
        let e: JSONValue = [
            "error": ["code": .number(Double(status)), "message": .string(message ?? msg), "status": .string(st)]
        ]
        return e.serialized
    }
}
