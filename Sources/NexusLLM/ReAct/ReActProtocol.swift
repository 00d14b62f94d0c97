import NexusCore

/// What a model's reply means under the JSON ReAct protocol.
public enum ReActStep: Sendable, Equatable {
    case final(String)
    case toolCall(ToolCall)
}

/// A reply that could not be read as a protocol step; `message` is what to send back to the model.
public struct ReActParseFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Tool use for models without native tool calling (`native_tools = false`): the tool list and a strict
/// JSON contract go into the system prompt, and each reply is read as either `{"tool": …, "arguments": …}`
/// or `{"final": …}`, repairing the damage small models typically do. When a reply cannot be read, the
/// failure message is sent back and the model asked again, at most `maxCorrections` times.
public enum ReActProtocol {
    public static let maxCorrections = 2

    /// The system prompt: `base` (the usual one) followed by the tool list and the reply format.
    public static func systemPrompt(tools: [ToolDefinition], base: String? = nil) -> String {
        var s = base.map { $0 + "\n\n" } ?? ""
        s += """
            You can use tools. Reply with exactly one JSON object and nothing else: no prose, no code fences.
            To call a tool: {"tool": "<tool name>", "arguments": {<arguments as the tool's schema says>}}
            To give the final answer: {"final": "<your answer for the user>"}
            After a tool call you will receive its result; then call another tool or give the final answer.

            Tools:
            """
        for t in tools {
            s += "\n- \(t.name): \(t.description)\n  arguments schema: \(t.inputSchema.serialized)"
        }
        return s
    }

    /// Reads one reply. Plain text with no JSON in it is taken as the final answer.
    public static func parse(_ reply: String, tools: [ToolDefinition], callID: String) -> Result<
        ReActStep, ReActParseFailure
    > {
        // The reply was joined from a stream's pieces: its long runs of marks in order first (`MarkOrder`), since
        // looking for a "{" compares it character by character.
        let text = MarkOrder.ordered(reply).trimmingSpaces
        guard !text.isEmpty else {
            return .failure(ReActParseFailure(message: "Your reply was empty. \(formatReminder)"))
        }
        guard text.contains("{") else { return .success(.final(text)) }
        let value: JSONValue
        switch JSONRepair.parse(text) {
        case .success(let v): value = v
        case .failure(let e):
            return .failure(
                ReActParseFailure(message: "Your reply is not valid JSON (\(e.description)). \(formatReminder)"))
        }
        guard case .object(let o) = value else {
            return .failure(
                ReActParseFailure(
                    message: "Your reply must be one JSON object, not \(value.kindName). \(formatReminder)"))
        }
        if let name = (o["tool"] ?? o["action"] ?? o["name"])?.stringValue {
            if name.lowercased() == "final answer" || name.lowercased() == "final" {
                return .success(.final(stringOf(o["action_input"] ?? o["arguments"] ?? "")))
            }
            guard
                let tool = tools.first(where: { $0.name == name })
                    ?? tools.first(where: { $0.name.lowercased() == name.lowercased() })
            else {
                let names = tools.map(\.name).joined(separator: ", ")
                return .failure(
                    ReActParseFailure(
                        message: "There is no tool named '\(name)'. Available tools: \(names). \(formatReminder)"))
            }
            var args =
                o["arguments"] ?? o["args"] ?? o["parameters"] ?? o["action_input"] ?? o["input"]
                ?? .object(JSONObject())
            if case .string(let raw) = args {
                args = ToolArguments.decode(raw)
            }
            guard case .object = args else {
                return .failure(
                    ReActParseFailure(
                        message:
                            "The \"arguments\" for '\(tool.name)' must be a JSON object matching its schema: \(tool.inputSchema.serialized). \(formatReminder)"
                    ))
            }
            return .success(.toolCall(ToolCall(id: callID, name: tool.name, arguments: args)))
        }
        if let final = o["final"] ?? o["answer"] ?? o["final_answer"] ?? o["response"] {
            return .success(.final(stringOf(final)))
        }
        return .failure(
            ReActParseFailure(
                message: "Your JSON object needs either a \"tool\" key or a \"final\" key. \(formatReminder)"))
    }

    static let formatReminder =
        #"Reply with only {"tool": "<name>", "arguments": {...}} or {"final": "<answer>"}."#

    static func stringOf(_ v: JSONValue) -> String {
        if case .string(let s) = v { return s }
        return v.serialized
    }

    /// The conversation rewritten for a model without native tools: tool calls become the JSON the
    /// model wrote, tool results become user messages it can read.
    public static func transcript(_ messages: [ChatMessage]) -> [ChatMessage] {
        messages.map { m in
            switch m.role {
            case .assistant where !m.toolCalls.isEmpty:
                let calls = m.toolCalls.map { c -> String in
                    let o: JSONValue = ["tool": .string(c.name), "arguments": c.arguments]
                    return o.serialized
                }
                return .assistant(calls.joined(separator: "\n"))
            case .tool:
                let status = m.isError ? "failed" : "returned"
                return .user(
                    "Tool '\(m.toolName ?? "tool")' \(status):\n\(m.content)\n\nContinue: call another tool or give the final answer, as JSON."
                )
            default:
                return m
            }
        }
    }
}
