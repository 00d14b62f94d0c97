extension SecretScrubber {
    /// `value` with every string (keys included) redacted, and any number whose spelling holds a
    /// secret turned into the redacted string: the tree stays valid JSON whatever the secret contains.
    public func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(redact(s))
        case .array(let a): return .array(a.map { redact($0) })
        case .object(let o): return .object(JSONObject(o.pairs.map { (redact($0.0), redact($0.1)) }))
        case .number:
            let text = value.serialized
            let clean = redact(text)
            return clean == text ? value : .string(clean)
        case .null, .bool: return value
        }
    }

    /// The call with its arguments redacted (what history, events and the model are shown).
    public func redact(_ call: ToolCall) -> ToolCall {
        ToolCall(id: call.id, name: redact(call.name), arguments: redact(call.arguments))
    }
}
