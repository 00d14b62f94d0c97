import NexusCore

/// How much of a tool's own text goes in front of a model. A module's descriptions, schemas and a tool's results
/// are written by someone else, and every byte is sent (and paid for) on each step of the turn, so a 1 MB
/// description or a 10 MB result is cut here, with a note telling the model how much was left out. The cut list is
/// built once per version of the installed tools (`OfferedToolsCache`), not on every turn.
enum ToolBudget {
    /// A tool as it goes in front of the model: its description cut to `descriptionCharacters`, its parameter schema
    /// to `ToolSchemaBudget`'s limits. Every list the model is offered passes here: the picker's (`OfferedTools`) and
    /// the tools `search_tools` adds to a step.
    static func trimmed(_ tool: ToolDefinition) -> ToolDefinition {
        var t = tool
        t.description = cut(t.description, to: descriptionCharacters, what: "tool description")
        t.inputSchema = ToolSchemaBudget.cut(t.inputSchema)
        return t
    }

    /// Per tool description offered to the model.
    static let descriptionCharacters = 2_000
    /// Per tool result sent back to the model (and kept in the conversation history).
    static let resultCharacters = 100_000

    /// `text`, or its first `limit` characters and a note naming `what` was cut. A character is any number of code
    /// points (a letter and a megabyte of combining marks), so at most 4 × `limit` code points are kept.
    static func cut(_ text: String, to limit: Int, what: String) -> String {
        guard text.utf8.count > limit else { return text }
        let points = 4 * limit
        let kept = text.prefix(limit)
        if kept.unicodeScalars.count > points {
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: kept.unicodeScalars.prefix(points))
            let left = text.unicodeScalars.count - points
            return String(scalars) + "\n[nexus: \(what) cut to \(points) code points; \(left) more left out]"
        }
        guard text.count > limit else { return text }
        return kept + "\n[nexus: \(what) cut to \(limit) characters; \(text.count - limit) more left out]"
    }
}
