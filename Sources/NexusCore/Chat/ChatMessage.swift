/// One message of a conversation, in the provider-neutral shape every wire format is mapped from and to.
///
/// Providers differ in how they spell roles, tool calls and tool results; the orchestrator and the history
/// store speak only this, and each provider file translates at its edge.
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable, Equatable { case system, user, assistant, tool }

    public var role: Role
    public var content: String
    /// Tool calls the assistant asked for in this message (assistant role only).
    public var toolCalls: [ToolCall]
    /// For `.tool` messages: the id of the call this result answers, and the tool's name.
    public var toolCallID: String?
    public var toolName: String?
    public var isError: Bool

    public init(
        role: Role, content: String, toolCalls: [ToolCall] = [], toolCallID: String? = nil, toolName: String? = nil,
        isError: Bool = false
    ) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.toolName = toolName
        self.isError = isError
    }

    public static func system(_ s: String) -> ChatMessage { ChatMessage(role: .system, content: s) }
    public static func user(_ s: String) -> ChatMessage { ChatMessage(role: .user, content: s) }
    public static func assistant(_ s: String, toolCalls: [ToolCall] = []) -> ChatMessage {
        ChatMessage(role: .assistant, content: s, toolCalls: toolCalls)
    }
    public static func toolResult(_ r: ToolResult) -> ChatMessage {
        ChatMessage(role: .tool, content: r.content, toolCallID: r.callID, toolName: r.name, isError: r.isError)
    }
}

/// A tool the model may call: a name, what it does, and a JSON Schema for its arguments.
public struct ToolDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    public var inputSchema: JSONValue

    public init(name: String, description: String, inputSchema: JSONValue = ["type": "object", "properties": [:]]) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}

/// A model's request to run a tool. `arguments` is the decoded JSON object the model produced.
public struct ToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    public var arguments: JSONValue

    public init(id: String, name: String, arguments: JSONValue) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// What a tool returned, fed back to the model as the answer to one `ToolCall`.
public struct ToolResult: Sendable, Equatable {
    public var callID: String
    public var name: String
    public var content: String
    public var isError: Bool

    public init(callID: String, name: String, content: String, isError: Bool = false) {
        self.callID = callID
        self.name = name
        self.content = content
        self.isError = isError
    }
}
