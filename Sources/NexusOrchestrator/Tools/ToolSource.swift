import NexusCore

/// Something that offers tools to the model and runs them: the built-ins, and installed modules.
/// The tool loop sees only this, so a module and a built-in are called the same way.
public protocol ToolSource: Sendable {
    /// Every tool this source offers, with names unique across sources.
    func tools() async -> [ToolDefinition]
    /// Whether this source owns a tool name.
    func owns(_ toolName: String) async -> Bool
    /// Runs a call. Failures come back as an error result for the model, never as a thrown error.
    func call(_ call: ToolCall, approval: any ApprovalHandler) async -> ToolResult
    /// Lines for the model about tools this source holds back and how the person can unlock them (a module
    /// waiting for its credential). Without them the model cannot know such a module is installed.
    func heldBack() async -> [String]
}

extension ToolSource {
    public func heldBack() async -> [String] { [] }
}
