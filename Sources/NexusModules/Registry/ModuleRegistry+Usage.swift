import NexusStore

extension ModuleRegistry {
    /// Successful calls per installed module recorded after call id `after`, and the newest call id: what the
    /// picker's usage prior (`ModuleUsage`) reads once, then reads on from. Only `ok` calls count (a failed call is
    /// no evidence the person uses the app), and only calls since the module was installed, of modules not removed.
    public func successfulCalls(after: Int = 0) throws -> (calls: [String: Int], lastID: Int) {
        // The newest id first: a call recorded between the two reads is counted by the next read, never twice.
        let last = try database.query("SELECT coalesce(max(id), 0) FROM module_calls").first?.int(0) ?? 0
        guard last > after else { return ([:], after) }
        let rows = try database.query(
            """
            SELECT c.module, count(*) FROM module_calls c JOIN modules m ON m.name = c.module
            WHERE c.id > ?1 AND c.id <= ?2 AND c.outcome = 'ok' AND m.state != 'archived' AND c.at >= m.installed_at
            GROUP BY c.module
            """, [.int(after), .int(last)])
        var calls: [String: Int] = [:]
        for row in rows {
            if let module = row.text(0), let n = row.int(1) { calls[module] = n }
        }
        return (calls, last)
    }
}
