import NexusCore
import NexusModules

/// Installed modules' tools, as the tool loop sees them: namespaced `<module>__<tool>` and called
/// through the module host (its breaker, rate limit, sensitive-tool approvals and timeouts).
public struct ModuleToolSource: ToolSource {
    public let host: ModuleHost

    public init(host: ModuleHost) { self.host = host }

    public func tools() async -> [ToolDefinition] { await host.toolDefinitions() }

    public func owns(_ toolName: String) async -> Bool {
        guard toolName.contains(ToolNamespace.separator) else { return false }
        return await host.route(of: toolName) != nil
    }

    public func call(_ call: ToolCall, approval: any ApprovalHandler) async -> ToolResult {
        await host.call(toolName: call.name, arguments: call.arguments, approval: approval, callID: call.id)
    }
}
