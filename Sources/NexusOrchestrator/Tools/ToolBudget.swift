import NexusCore

/// How much of a tool's own text goes in front of a model. A module's descriptions and a tool's results
/// are written by someone else, and every byte is sent (and paid for) on each step of the turn, so a 1 MB
/// description or a 10 MB result is cut here, with a note telling the model how much was left out.
enum ToolBudget {
    /// Every tool the sources offer, each description cut to `descriptionCharacters`: the one list the picker
    /// and `search_tools` rank, so both hash to the same cached index.
    static func offered(by sources: [any ToolSource]) async -> [ToolDefinition] {
        var all: [ToolDefinition] = []
        for s in sources { all += await s.tools() }
        for i in all.indices {
            all[i].description = cut(all[i].description, to: descriptionCharacters, what: "tool description")
        }
        return all
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
