import NexusCore

/// Something that offers tools to the model and runs them: the built-ins, and installed modules.
/// The tool loop sees only this, so a module and a built-in are called the same way.
public protocol ToolSource: Sendable {
    /// Every tool this source offers, with names unique across sources.
    func tools() async -> [ToolDefinition]
    /// `tools()` and a version of that list, read together. The version (`ToolsGeneration`) changes whenever the
    /// list does, in any way (a name, a description, a parameter): while it stays, the picker reuses what it built
    /// for the list, so a turn over 10,000 tools does no work per tool. A source that cannot tell answers nil (the
    /// default), and its list is compared whole with the last one on every turn.
    func versionedTools() async -> VersionedTools
    /// Whether this source owns a tool name.
    func owns(_ toolName: String) async -> Bool
    /// Runs a call. Failures come back as an error result for the model, never as a thrown error.
    func call(_ call: ToolCall, approval: any ApprovalHandler) async -> ToolResult
    /// Lines for the model about tools this source holds back and how the person can unlock them (a module
    /// waiting for its credential). Without them the model cannot know such a module is installed. The executor asks
    /// at every turn: a source answers from what it kept while nothing changed, so the cost does not grow with what is
    /// installed, and sees a change at the next ask (`ModuleToolSource.heldBack`).
    func heldBack() async -> [String]
}

/// A source's tools with the version of that list (nil: the source cannot tell when it changes).
public struct VersionedTools: Sendable {
    public var version: Int?
    public var tools: [ToolDefinition]

    public init(version: Int?, tools: [ToolDefinition]) {
        self.version = version
        self.tools = tools
    }
}

extension ToolSource {
    public func heldBack() async -> [String] { [] }
    public func versionedTools() async -> VersionedTools { VersionedTools(version: nil, tools: await tools()) }
}
