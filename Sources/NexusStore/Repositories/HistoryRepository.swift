import NexusCore

/// Conversation history per session: every message of every turn, so a session can be resumed and
/// `/history` can show what was asked. Callers pass already-redacted text.
public struct HistoryRepository: Sendable {
    public let db: Database
    public init(db: Database) { self.db = db }

    public func startSession(id: String) throws {
        try db.execute(
            "INSERT OR IGNORE INTO sessions (id, started_at) VALUES (?, ?)", [.text(id), .double(WallClock.now())])
    }

    public func append(_ m: ChatMessage, session: String, turn: Int) throws {
        let calls: SQLValue =
            m.toolCalls.isEmpty
            ? .null
            : .text(
                JSONValue.array(
                    m.toolCalls.map { ["id": .string($0.id), "name": .string($0.name), "arguments": $0.arguments] }
                ).serialized)
        try db.execute(
            """
            INSERT INTO messages (session_id, turn, role, content, tool_calls, tool_call_id, tool_name, created_at)
            VALUES (?,?,?,?,?,?,?,?)
            """,
            [
                .text(session), .int(turn), .text(m.role.rawValue), .text(m.content), calls,
                .optionalText(m.toolCallID), .optionalText(m.toolName), .double(WallClock.now()),
            ])
    }

    /// The messages of a session in order.
    public func messages(session: String) throws -> [ChatMessage] {
        try db.query(
            "SELECT role, content, tool_calls, tool_call_id, tool_name FROM messages WHERE session_id = ? ORDER BY id",
            [.text(session)]
        ).compactMap { row in
            guard let role = row.text(0).flatMap(ChatMessage.Role.init(rawValue:)) else { return nil }
            var calls: [ToolCall] = []
            // A tool-call column that is not JSON reads back without tool calls; the message text is kept.
            if let raw = row.text(2), let arr = (try? JSONValue(parsing: raw))?.arrayValue {
                calls = arr.compactMap { v in
                    guard let id = v["id"]?.stringValue, let name = v["name"]?.stringValue else { return nil }
                    return ToolCall(id: id, name: name, arguments: v["arguments"] ?? .object(JSONObject()))
                }
            }
            return ChatMessage(
                role: role, content: row.text(1) ?? "", toolCalls: calls, toolCallID: row.text(3), toolName: row.text(4)
            )
        }
    }

    /// The most recent user inputs across all sessions, newest last.
    public func recentInputs(limit: Int) throws -> [String] {
        try db.query(
            "SELECT content FROM messages WHERE role = 'user' ORDER BY id DESC LIMIT ?", [.int(limit)]
        ).compactMap { $0.text(0) }.reversed()
    }
}
