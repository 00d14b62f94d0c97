import NexusCore

/// The tool picker's whole per-turn path as a session runs it without embeddings (`ToolPickerNode`: the offered list
/// from the sources, cut to budget, then the lexical pick of `max_tools_per_turn` and `search_tools`), for
/// `nexus bench picker` to time. Timing the index alone once hid a per-turn pass over every tool's text.
public struct LexicalPickerTurn: Sendable {
    let node: ToolPickerNode

    public init(sources: [any ToolSource], maxTools: Int) {
        node = ToolPickerNode(sources: sources, ranking: ToolRanking(), maxTools: maxTools)
    }

    /// The tools one turn offers the model.
    public func run(_ turn: String) async -> [ToolDefinition] { await node.run(turn) }
}
