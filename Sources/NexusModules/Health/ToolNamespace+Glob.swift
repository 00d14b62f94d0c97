import NexusPOSIX

/// The one part of tool naming that needs the C library (`fnmatch(3)`), kept apart so ToolNamespace.swift stays
/// plain Swift for the picker's fuzz target.
extension ToolNamespace {
    /// Whether `tool` matches a `sensitive_tools` glob (shell-style: `*`, `?`, `[...]`).
    public static func matches(_ tool: String, glob: String) -> Bool {
        Glob.matches(tool, pattern: glob)
    }
}
