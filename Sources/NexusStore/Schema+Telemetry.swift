/// Schema steps of observability and cost control (60–69).
extension Schema {
    static let telemetry: [Migration] = [v60]

    /// The budget guard sums today's spending before every model call (`created_at` since midnight UTC): an
    /// index keeps that a range read however long the ledger grows.
    static let v60 = Migration(
        version: 60,
        sql: "CREATE INDEX IF NOT EXISTS llm_calls_created ON llm_calls(created_at);")
}
