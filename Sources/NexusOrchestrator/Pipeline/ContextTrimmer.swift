import NexusCore

/// Keeps a conversation inside a model's context window by leaving out the oldest whole turns first.
///
/// Tokens are estimated (about 4 bytes a token, rounded up, plus a per-message overhead): cheap, and
/// safe because the budget keeps a reserve for the answer. The system prompt and the current turn are
/// never cut.
public enum ContextTrimmer {
    public static func estimateTokens(_ m: ChatMessage) -> Int {
        var bytes = m.content.utf8.count
        for c in m.toolCalls { bytes += c.name.utf8.count + c.arguments.serialized.utf8.count }
        return bytes / 4 + 8
    }

    /// A context window guess for a model name when the config gives none.
    public static func window(forModel model: String, configured: Int?) -> Int {
        if let configured { return configured }
        let m = model.lowercased()
        if m.contains("gemini") { return 1_000_000 }
        if m.contains("claude") { return 200_000 }
        if m.contains("gpt-4.1") { return 1_000_000 }
        if m.contains("gpt") || m.hasPrefix("o1") || m.hasPrefix("o3") || m.hasPrefix("o4") { return 128_000 }
        if m.contains("smollm") { return 8_192 }
        if m.contains("qwen") || m.contains("llama") || m.contains("mistral") { return 32_768 }
        return 8_192
    }

    /// Returns the messages to send and how many earlier turns were left out.
    /// A turn starts at a `.user` message; the last turn is always kept whole.
    public static func trim(_ messages: [ChatMessage], window: Int, reserve: Int) -> (
        messages: [ChatMessage], droppedTurns: Int
    ) {
        let budget = max(256, window - reserve)
        var system: [ChatMessage] = []
        var rest = messages[...]
        while let first = rest.first, first.role == .system {
            system.append(first)
            rest = rest.dropFirst()
        }
        var turns: [[ChatMessage]] = []
        for m in rest {
            if m.role == .user || turns.isEmpty { turns.append([m]) } else { turns[turns.count - 1].append(m) }
        }
        var total = system.reduce(0) { $0 + estimateTokens($1) }
        var kept: [[ChatMessage]] = []
        for (i, turn) in turns.enumerated().reversed() {
            let cost = turn.reduce(0) { $0 + estimateTokens($1) }
            if i == turns.count - 1 || total + cost <= budget {
                kept.append(turn)
                total += cost
            } else {
                break
            }
        }
        let dropped = turns.count - kept.count
        return (system + kept.reversed().flatMap { $0 }, dropped)
    }
}
