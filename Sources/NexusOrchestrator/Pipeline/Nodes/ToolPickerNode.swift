import NexusCore
import NexusModules

/// The tool picker node: every tool the session's sources offer (built-ins, modules), descriptions cut to
/// the per-tool budget, or the most relevant `[modules] max_tools_per_turn` of them when there are more.
/// What it returns is the executor's tool list: a tool that should always be offered joins it here. When
/// it had to choose, `search_tools` joins the picks, so the model can find what the picker left out.
struct ToolPickerNode: PipelineStage {
    let sources: [any ToolSource]
    let ranking: ToolRanking
    let maxTools: Int
    var privacy: PrivacyMode = .open
    /// Where the picker's one notice goes (its semantic half fell back to lexical).
    var notify: @Sendable (String) -> Void = { _ in }
    /// The classification model's reorder of the top candidates (`[modules] rerank_tools`), when on.
    var reranker: ToolReranker?
    /// The tools the session's last turns called (`RecentTools`): kept offered, their apps leading look-alikes.
    var recent = RecentTools.none

    var node: PipelineNode { .toolPicker }

    func run(_ input: String) async -> [ToolDefinition] {
        let offered = await ranking.offered(by: sources)
        let all = offered.tools
        guard all.count > maxTools else { return all }
        guard let reranker else {
            let picked = await ranking.pick(offered, for: input, k: maxTools, privacy: privacy, recent: recent)
            if let notice = picked.notice { notify(notice) }
            return picked.tools + [ToolSearchSource.definition]
        }
        let depth = max(maxTools, ToolReranker.candidates)
        let picked = await ranking.pick(offered, for: input, k: depth, privacy: privacy, recent: recent, carry: false)
        if let notice = picked.notice { notify(notice) }
        let reranked = await reranker.rerank(picked.tools, turn: input)
        return ToolRanking.keep(recent, in: reranked.tools, from: offered, k: maxTools) + [ToolSearchSource.definition]
    }

    func detail(_ output: [ToolDefinition]) -> String? { "\(output.count) tools" }
}
