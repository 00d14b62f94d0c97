import NexusCore
import NexusOrchestrator
import Synchronization

/// A `ToolSource` whose tools answer from closures and remember every call: the seam where modules
/// plug into the turn loop, without a process. A tool marked sensitive asks its approval first, the way a
/// module's `sensitive_tools` do.
public final class ScriptedToolSource: ToolSource {
    /// One tool: its definition, whether it needs approval, and what it answers.
    public struct Tool: Sendable {
        public var definition: ToolDefinition
        public var sensitive: Bool
        public var answer: @Sendable (JSONValue) async -> (content: String, isError: Bool)

        public init(
            name: String, description: String = "a scripted tool", sensitive: Bool = false,
            answer: @escaping @Sendable (JSONValue) async -> (content: String, isError: Bool)
        ) {
            self.definition = ToolDefinition(name: name, description: description)
            self.sensitive = sensitive
            self.answer = answer
        }
    }

    private let table: [String: Tool]
    private let order: [String]
    private let calls = Mutex<[ToolCall]>([])

    public init(_ tools: [Tool]) {
        var t: [String: Tool] = [:]
        for tool in tools { t[tool.definition.name] = tool }
        table = t
        order = tools.map(\.definition.name)
    }

    /// Every call that reached a tool (refused approvals included), in order.
    public var received: [ToolCall] { calls.withLock { $0 } }

    public func tools() async -> [ToolDefinition] { order.compactMap { table[$0]?.definition } }

    public func owns(_ toolName: String) async -> Bool { table[toolName] != nil }

    public func call(_ call: ToolCall, approval: any ApprovalHandler) async -> ToolResult {
        calls.withLock { $0.append(call) }
        guard let tool = table[call.name] else {
            return ToolResult(callID: call.id, name: call.name, content: "unknown tool", isError: true)
        }
        if tool.sensitive {
            let request = ApprovalRequest(
                id: "tool-\(call.id)", kind: .sensitiveTool, title: "run \(call.name)?",
                details: [.init("arguments", call.arguments.serialized)])
            guard await approval.decide(request).granted else {
                return ToolResult(callID: call.id, name: call.name, content: "refused by the user", isError: true)
            }
        }
        let (content, isError) = await tool.answer(call.arguments)
        return ToolResult(callID: call.id, name: call.name, content: content, isError: isError)
    }
}
