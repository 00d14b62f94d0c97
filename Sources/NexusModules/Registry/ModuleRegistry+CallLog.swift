import NexusStore

extension ModuleRegistry {
    /// One recorded call, as `recordCall` wrote it.
    public struct RecordedCall: Sendable, Equatable {
        public var module: String
        public var tool: String
        public var outcome: String
        public var error: String?
    }

    /// The newest `limit` recorded calls (every module's, or one's), oldest first: what a test or a report
    /// reads back from the call log.
    public func recordedCalls(module: String? = nil, limit: Int = 100) throws -> [RecordedCall] {
        let rows = try database.query(
            """
            SELECT module, tool, outcome, error FROM (
                SELECT id, module, tool, outcome, error FROM module_calls
                WHERE ?1 IS NULL OR module = ?1 ORDER BY id DESC LIMIT ?2
            ) ORDER BY id
            """, [.optionalText(module), .int(limit)])
        return rows.map {
            RecordedCall(module: $0.text(0) ?? "", tool: $0.text(1) ?? "", outcome: $0.text(2) ?? "", error: $0.text(3))
        }
    }
}
