/// The two text-layout helpers every plain-text face needs (doctor, /cost, /route, creds and modules tables,
/// approval prompts), written once: trimming and padding by character count. The TUI, which lays out by
/// terminal columns, has its own width-aware padding (`DisplayWidth.pad`).
extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces, tabs, CR, LF, other Unicode spaces).
    public var trimmingSpaces: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }

    /// The text followed by spaces up to `width` characters (unchanged when already as wide).
    public func padded(to width: Int) -> String {
        count >= width ? String(self) : String(self) + String(repeating: " ", count: width - count)
    }

    /// At most `limit` characters: the first `limit - 1` and "…" when longer. For names a model or a module
    /// wrote, which may be any length, on one line of a message.
    public func cut(to limit: Int) -> String {
        count > limit ? String(prefix(Swift.max(0, limit - 1))) + "…" : String(self)
    }

    /// Spaces, then the text, up to `width` characters (numbers in columns).
    public func leftPadded(to width: Int) -> String {
        count >= width ? String(self) : String(repeating: " ", count: width - count) + String(self)
    }
}
