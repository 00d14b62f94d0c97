@preconcurrency import CLibEdit

/// The line editor linked in, for `nexus doctor`.
public enum LineEditorInfo {
    public static var version: String {
        "libedit (" + (rl_library_version.map { String(cString: $0) } ?? "unknown version") + ")"
    }
}
