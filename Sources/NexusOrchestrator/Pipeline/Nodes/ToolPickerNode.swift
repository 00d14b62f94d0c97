import NexusCore

/// The tool picker node: every tool the session's sources offer (built-ins, modules), descriptions cut to
/// the per-tool budget, or the most relevant `[modules] max_tools_per_turn` of them when there are more.
/// What it returns is the executor's tool list: a tool that should always be offered joins it here.
struct ToolPickerNode: PipelineStage {
    let sources: [any ToolSource]
    let ranking: ToolRanking
    let maxTools: Int

    var node: PipelineNode { .toolPicker }

    func run(_ input: String) async -> [ToolDefinition] {
        var all: [ToolDefinition] = []
        for s in sources { all += await s.tools() }
        for i in all.indices {
            all[i].description = ToolBudget.cut(
                all[i].description, to: ToolBudget.descriptionCharacters, what: "tool description")
        }
        guard all.count > maxTools else { return all }
        return ranking.top(all, for: input, k: maxTools)
    }

    func detail(_ output: [ToolDefinition]) -> String? { "\(output.count) tools" }
}
