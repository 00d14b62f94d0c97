import Synchronization

/// Version numbers of tool lists, unique in the process. A tool source draws a new one whenever the list it
/// offers changes (a module installed, removed, enabled or disabled, a `tools/list_changed` re-list), so the
/// picker can tell "nothing changed" from a number instead of hashing 10,000 tools' text on every turn; and
/// since no two lists ever share a number, two sources (or two hosts) can never be mistaken for each other.
public enum ToolsGeneration {
    private static let last = Atomic<Int>(0)

    /// A number no list in this process has had before.
    public static func next() -> Int { last.add(1, ordering: .relaxed).newValue }
}
