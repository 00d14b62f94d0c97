import NexusStore

extension ModuleRegistry {
    /// One module's use as the usage prior counts it: the distinct hours (of the call log's `at`, hours since the
    /// epoch) in which it was called successfully, and the newest of them. See `ModuleUsage` for why hours.
    public struct Visits: Sendable, Equatable {
        public var count: Int
        public var newestHour: Int

        public init(count: Int, newestHour: Int) {
            self.count = count
            self.newestHour = newestHour
        }
    }

    /// One whole count of the call log for the picker's usage prior (`ModuleUsage`): the visits per installed
    /// module, the newest call id read, when each installed module was installed, and the newest lifecycle mark
    /// (`lifecycleMark()`) seen before the rest was read.
    public struct UsageCount: Sendable, Equatable {
        public var visits: [String: Visits]
        public var lastID: Int
        public var installedAt: [String: Double]
        public var mark: Int
    }

    /// The length of a visit (`ModuleUsage.visitSeconds`), for the queries.
    static var visitSeconds: SQLValue { .double(ModuleUsage.visitSeconds) }

    /// The whole count: what a session reads once, at start (`ModuleUsage.startReading`). The mark is read first, so
    /// a module installed or removed while the rest is read moves it and the next turn looks again.
    public func usageCount() throws -> UsageCount {
        let mark = try lifecycleMark()
        let installed = try installedTimes()
        let read = try successfulVisits()
        return UsageCount(visits: read.visits, lastID: read.lastID, installedAt: installed, mark: mark)
    }

    /// Visits per installed module in the calls recorded after call id `after` (each hour a module was called in
    /// once, however many calls it had), and the newest call id: what the picker's usage prior (`ModuleUsage`)
    /// reads once, from id 0. Only `ok` calls count (a failed call is no evidence the person uses the app), and only
    /// calls since the module was installed, of modules not removed. One grouped query: the log's rows are not
    /// returned one by one.
    public func successfulVisits(after: Int = 0) throws -> (visits: [String: Visits], lastID: Int) {
        // The newest id first: a call recorded between the two reads is counted by the next read, never twice.
        let last = try newestCallID()
        guard last > after else { return ([:], after) }
        // Module by module through the log's (module, id) index, each module's hours counted apart: no sort of the
        // whole log by module. Over the benchmark's 20,000 calls, in the sqlite3 shell: about 8 ms of CPU, 10 ms for
        // the same count grouped after a join on the id range, 6.5 ms for the plain count of calls it replaces.
        let rows = try database.query(
            """
            SELECT m.name, count(DISTINCT CAST(c.at / ?3 AS INTEGER)), max(CAST(c.at / ?3 AS INTEGER))
            FROM modules m CROSS JOIN module_calls c ON c.module = m.name
            WHERE m.state != 'archived' AND c.id > ?1 AND c.id <= ?2 AND c.outcome = 'ok' AND c.at >= m.installed_at
            GROUP BY m.name
            """, [.int(after), .int(last), Self.visitSeconds])
        var visits: [String: Visits] = [:]
        for row in rows {
            if let module = row.text(0), let n = row.int(1), let newest = row.int(2) {
                visits[module] = Visits(count: n, newestHour: newest)
            }
        }
        return (visits, last)
    }

    /// The hours (as in `Visits`) with successful calls per installed module among the calls recorded after call id
    /// `after`, oldest first, and the newest call id: what a turn reads on from the last read (a few calls, so a few
    /// rows). `ModuleUsage` adds the hours after the ones it has counted.
    public func successfulHours(after: Int) throws -> (hours: [String: [Int]], lastID: Int) {
        let last = try newestCallID()
        guard last > after else { return ([:], after) }
        let rows = try database.query(
            """
            SELECT DISTINCT c.module, CAST(c.at / ?3 AS INTEGER) AS hour
            FROM module_calls c JOIN modules m ON m.name = c.module
            WHERE c.id > ?1 AND c.id <= ?2 AND c.outcome = 'ok' AND m.state != 'archived' AND c.at >= m.installed_at
            ORDER BY hour
            """, [.int(after), .int(last), Self.visitSeconds])
        var hours: [String: [Int]] = [:]
        for row in rows {
            if let module = row.text(0), let hour = row.int(1) { hours[module, default: []].append(hour) }
        }
        return (hours, last)
    }

    /// `module`'s visits up to call id `through`, by the same rule (none when it is not installed or has no
    /// successful call): what a session counts again for one module installed anew since its first read.
    public func successfulVisits(of module: String, through: Int) throws -> Visits? {
        let row = try database.query(
            """
            SELECT count(DISTINCT CAST(c.at / ?3 AS INTEGER)), max(CAST(c.at / ?3 AS INTEGER))
            FROM module_calls c JOIN modules m ON m.name = c.module
            WHERE c.module = ?1 AND c.id <= ?2 AND c.outcome = 'ok' AND m.state != 'archived' AND c.at >= m.installed_at
            """, [.text(module), .int(through), Self.visitSeconds]
        ).first
        guard let n = row?.int(0), n > 0, let newest = row?.int(1) else { return nil }
        return Visits(count: n, newestHour: newest)
    }

    /// The newest call id of the log (0 when empty): one lookup of the primary key.
    func newestCallID() throws -> Int {
        try database.query("SELECT coalesce(max(id), 0) FROM module_calls").first?.int(0) ?? 0
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
