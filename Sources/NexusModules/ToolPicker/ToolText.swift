import NexusCore

/// The text of a tool that retrieval reads, bounded and in one agreed form.
///
/// A module's description is someone else's text: it may be empty or 100 KB. The lexical index reads at most
/// `indexedScalars` of it (a longer one would only dilute its own terms and cost memory), and the embedding of
/// a tool is computed from `embedding(of:)` (bench/picker/baselines.py's `embedding_text` should build the same
/// string, so vectors cached by text are shared between the Swift picker and the Python baselines).
public enum ToolText {
    /// Unicode scalars of a description the lexical index reads.
    public static let indexedScalars = 4_000
    /// Unicode scalars of a description an embedding reads.
    public static let embeddedScalars = 1_000

    public static func indexed(_ description: String) -> String {
        prefix(description, indexedScalars)
    }

    /// What the tool does: its description (at most `embeddedScalars`), e.g. "List events on a calendar …"; a
    /// tool without one is embedded from its app and tool words ("weather get forecast").
    ///
    /// Names are the lexical half's evidence, counted there with app routing and look-alike limits. In a sentence
    /// embedding they are noise: every tool of an app named by an everyday word (last.fm, Things, Line, Clock)
    /// drew near any turn using that word, and one tool name shared by many apps made their vectors alike before
    /// their descriptions were read (testdata/picker tuning turns: hybrid recall@5 0.42 → 0.47 with 8,924
    /// distractors, 0.71 → 0.73 on the real tools alone).
    public static func embedding(of tool: ToolDefinition) -> String {
        let description = prefix(tool.description, embeddedScalars)
        guard description.allSatisfy(\.isWhitespace) else { return description }
        let (namespace, local) = ToolIndex.splitName(tool.name)
        return [namespace, local].filter { !$0.isEmpty }.map { $0.replacing("_", with: " ") }.joined(separator: " ")
    }

    /// What was wrong with a tool's text, for the picker's notes: nil when nothing was.
    public static func note(for tool: ToolDefinition) -> String? {
        if tool.description.allSatisfy(\.isWhitespace) {
            return "\(tool.name): no description; matched by its name and parameters only"
        }
        let scalars = tool.description.unicodeScalars.count
        if scalars > indexedScalars {
            return "\(tool.name): description of \(scalars) characters; the picker reads the first \(indexedScalars)"
        }
        return nil
    }

    static func prefix(_ text: String, _ limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.prefix(limit))
        return String(scalars)
    }
}
