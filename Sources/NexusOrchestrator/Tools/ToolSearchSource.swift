import NexusCore
import NexusModules

/// `search_tools`: the deferred loading of tools. When more tools are installed than a turn's budget, the
/// model gets the picker's top picks plus this tool, which it calls with its own words when none of the
/// picks fits; the tools found join the executor's list from the next step on (`ExecutorNode` widens it).
/// It is a plain tool to the model, so it works the same on native tool calling and on the JSON ReAct path
/// local models use.
struct ToolSearchSource: ToolSource {
    static let name = "search_tools"
    /// The result's last line, parsed by `found(in:)`: the names the executor adds.
    static let marker = "tools added: "

    let sources: [any ToolSource]
    let ranking: ToolRanking
    var k = 5
    /// The tools the session's earlier turns called: their apps lead look-alikes here as in the picker.
    var recent = RecentTools.none

    static let definition = ToolDefinition(
        name: name,
        description:
            "Find more tools when none of the offered ones fits. Describe what you need in a few words "
            + "(\"send a text message\", \"list calendar events\"); the tools found can be called from the next step.",
        inputSchema: [
            "type": "object",
            "properties": ["query": ["type": "string", "description": "What the tool should do, in plain words"]],
            "required": ["query"],
        ])

    /// Offered by the tool picker only when the budget is exceeded, never as an ordinary tool.
    func tools() async -> [ToolDefinition] { [] }
    /// That empty list never changes.
    static let version = ToolsGeneration.next()
    func versionedTools() async -> VersionedTools { VersionedTools(version: Self.version, tools: []) }

    func owns(_ toolName: String) async -> Bool { toolName == Self.name }

    /// The model's query, at most 1,000 code points (not characters: one can hold a megabyte of combining marks).
    static func cut(_ query: String) -> String {
        String(String.UnicodeScalarView(query.unicodeScalars.prefix(1_000)))
    }

    func call(_ call: ToolCall, approval: any ApprovalHandler) async -> ToolResult {
        let query = call.arguments["query"]?.stringValue?.trimmingSpaces ?? ""
        guard !query.isEmpty else {
            return ToolResult(
                callID: call.id, name: call.name, content: "search_tools needs a \"query\": what the tool should do",
                isError: true)
        }
        // The picker's list (the same version while no tool changed): the ranking's cached index is reused.
        let all = await ranking.offered(by: sources)
        let found = ranking.search(all, for: Self.cut(query), k: k, recent: recent)
        guard !found.isEmpty else {
            return ToolResult(callID: call.id, name: call.name, content: "no installed tool matches \"\(query)\"")
        }
        var text = "\(found.count) tools found; they can be called from the next step:\n"
        for t in found {
            text += "- \(t.name): \(ToolBudget.cut(t.description, to: 200, what: "description"))\n"
        }
        text += Self.marker + found.map(\.name).joined(separator: ", ")
        return ToolResult(callID: call.id, name: call.name, content: text)
    }

    /// The tool names a `search_tools` result added (its marker line), none for any other result.
    static func found(in result: ToolResult) -> [String] {
        guard result.name == name, !result.isError,
            let line = result.content.split(separator: "\n").last, line.hasPrefix(marker)
        else { return [] }
        return line.dropFirst(marker.count).split(separator: ",").map { String($0).trimmingSpaces }.filter {
            !$0.isEmpty
        }
    }
}
