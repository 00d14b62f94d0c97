import NexusCore

/// The text of a tool that retrieval reads, bounded and in one agreed form.
///
/// A module's description is someone else's text: it may be empty or 100 KB. The lexical index reads at most
/// `indexedScalars` of it (a longer one would only dilute its own terms and cost memory), and the embedding of
/// a tool is computed from `embedding(of:)`, the same string bench/picker/baselines.py builds, so vectors
/// cached by text are shared between the Swift picker and the Python baselines.
public enum ToolText {
    /// Unicode scalars of a description the lexical index reads.
    public static let indexedScalars = 4_000
    /// Unicode scalars of a description an embedding reads.
    public static let embeddedScalars = 1_000

    public static func indexed(_ description: String) -> String {
        prefix(description, indexedScalars)
    }

    /// `"<app words> <tool words>: <description>"`, e.g. "google calendar list events: List events on …".
    public static func embedding(of tool: ToolDefinition) -> String {
        let (namespace, local) = ToolIndex.splitName(tool.name)
        let words = [namespace, local].filter { !$0.isEmpty }.map { $0.replacing("_", with: " ") }
        return words.joined(separator: " ") + ": " + prefix(tool.description, embeddedScalars)
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
