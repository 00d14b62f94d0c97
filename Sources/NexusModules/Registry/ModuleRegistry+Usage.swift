import NexusStore

extension ModuleRegistry {
    /// One whole count of the call log for the picker's usage prior (`ModuleUsage`): the successful calls per
    /// installed module, the newest call id read, when each installed module was installed, and the newest
    /// lifecycle mark (`lifecycleMark()`) seen before the rest was read.
    public struct UsageCount: Sendable, Equatable {
        public var calls: [String: Int]
        public var lastID: Int
        public var installedAt: [String: Double]
        public var mark: Int
    }

    /// The whole count: what a session reads once, at start (`ModuleUsage.startReading`). The mark is read first, so
    /// a module installed or removed while the rest is read moves it and the next turn looks again.
    public func usageCount() throws -> UsageCount {
        let mark = try lifecycleMark()
        let installed = try installedTimes()
        let read = try successfulCalls(after: 0)
        return UsageCount(calls: read.calls, lastID: read.lastID, installedAt: installed, mark: mark)
    }

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

    /// `module`'s successful calls up to call id `through`, by the same rule (0 when it is not installed): what a
    /// session counts again for one module installed anew since its first read.
    public func successfulCalls(of module: String, through: Int) throws -> Int {
        try database.query(
            """
            SELECT count(*) FROM module_calls c JOIN modules m ON m.name = c.module
            WHERE c.module = ?1 AND c.id <= ?2 AND c.outcome = 'ok' AND m.state != 'archived' AND c.at >= m.installed_at
            """, [.text(module), .int(through)]
        ).first?.int(0) ?? 0
    }

    /// When each module not removed was installed: a module removed and installed again has a new time, and its
    /// calls count from then.
    public func installedTimes() throws -> [String: Double] {
        var out: [String: Double] = [:]
        for row in try database.query("SELECT name, installed_at FROM modules WHERE state != 'archived'") {
            if let name = row.text(0), let at = row.double(1) { out[name] = at }
        }
        return out
    }

    /// Whether the enabled modules offer more than `limit` tools, as their cached tool lists say (a module whose
    /// tools were never listed, or not since its upgrade, counts none: a guess, which the cache soon corrects):
    /// whether a turn's picker will have to choose among them, which is when the usage prior matters. More enabled
    /// modules than `limit` answer yes without reading a list.
    public func enabledModulesOfferMoreTools(than limit: Int) throws -> Bool {
        let enabled = try database.query("SELECT count(*) FROM modules WHERE state = 'enabled'").first?.int(0) ?? 0
        if enabled > limit { return true }
        let offered =
            try database.query(
                """
                SELECT coalesce(sum(CASE WHEN json_valid(tools) THEN json_array_length(tools) ELSE 0 END), 0)
                FROM modules WHERE state = 'enabled'
                """
            ).first?.int(0) ?? 0
        return offered > limit
    }

    /// A number that moves whenever a module is installed, upgraded, rolled back or removed (by this process or
    /// another one on the same home): the newest row of the audit trail, which every such change writes in its own
    /// transaction (`ModuleAudit`). One indexed lookup, so a turn can afford it; other audit rows (approvals, the
    /// vault's) move it too, which costs one needless look at the module list.
    public func lifecycleMark() throws -> Int {
        try database.query("SELECT coalesce(max(id), 0) FROM audit").first?.int(0) ?? 0
    }
}
