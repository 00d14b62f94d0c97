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

    /// One whole count of the call log for the picker's usage prior (`ModuleUsage`): the visits per enabled
    /// module, the newest call id read, where each enabled module's history starts (`usageStarts()`), and the newest
    /// lifecycle mark (`lifecycleMark()`) seen before the rest was read.
    public struct UsageCount: Sendable, Equatable {
        public var visits: [String: Visits]
        public var lastID: Int
        public var startedAt: [String: Double]
        public var mark: Int
    }

    /// Where a module's usage history starts, in the queries: `usage_since` when a reinstall kept an earlier history
    /// (`continuedUsage`), else the install's time.
    static let usageStartSQL = "coalesce(m.usage_since, m.installed_at)"

    /// The length of a visit (`ModuleUsage.visitSeconds`), for the queries.
    static var visitSeconds: SQLValue { .double(ModuleUsage.visitSeconds) }

    /// The whole count: what a session reads once, at start (`ModuleUsage.startReading`). The mark is read first, so
    /// a module installed or removed while the rest is read moves it and the next turn looks again.
    public func usageCount() throws -> UsageCount {
        let mark = try lifecycleMark()
        let starts = try usageStarts()
        let read = try successfulVisits()
        return UsageCount(visits: read.visits, lastID: read.lastID, startedAt: starts, mark: mark)
    }

    /// Visits per enabled module in the calls recorded after call id `after` (each hour a module was called in
    /// once, however many calls it had), and the newest call id: what the picker's usage prior (`ModuleUsage`)
    /// reads once, from id 0. Only `ok` calls count (a failed call is no evidence the person uses the app), and only
    /// calls since the module's usage history starts (`usageStarts()`), of enabled modules: a disabled module's tools
    /// are never offered, so its calls are skipped in the query, not read and dropped. One grouped query: the log's
    /// rows are not returned one by one.
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
            WHERE m.state = 'enabled' AND c.id > ?1 AND c.id <= ?2 AND c.outcome = 'ok' AND c.at >= \(Self.usageStartSQL)
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

    /// The hours (as in `Visits`) with successful calls per enabled module among the calls recorded after call id
    /// `after`, oldest first, and the newest call id: what a turn reads on from the last read (a few calls, so a few
    /// rows). `ModuleUsage` adds the hours after the ones it has counted.
    public func successfulHours(after: Int) throws -> (hours: [String: [Int]], lastID: Int) {
        let last = try newestCallID()
        guard last > after else { return ([:], after) }
        let rows = try database.query(
            """
            SELECT DISTINCT c.module, CAST(c.at / ?3 AS INTEGER) AS hour
            FROM module_calls c JOIN modules m ON m.name = c.module
            WHERE c.id > ?1 AND c.id <= ?2 AND c.outcome = 'ok' AND m.state = 'enabled' AND c.at >= \(Self.usageStartSQL)
            ORDER BY hour
            """, [.int(after), .int(last), Self.visitSeconds])
        var hours: [String: [Int]] = [:]
        for row in rows {
            if let module = row.text(0), let hour = row.int(1) { hours[module, default: []].append(hour) }
        }
        return (hours, last)
    }

    /// `module`'s visits up to call id `through`, by the same rule (none when it is not installed or has no
    /// successful call, or is not enabled): what a session counts again for one module installed, enabled or
    /// disabled since its first read.
    public func successfulVisits(of module: String, through: Int) throws -> Visits? {
        let row = try database.query(
            """
            SELECT count(DISTINCT CAST(c.at / ?3 AS INTEGER)), max(CAST(c.at / ?3 AS INTEGER))
            FROM module_calls c JOIN modules m ON m.name = c.module
            WHERE c.module = ?1 AND c.id <= ?2 AND c.outcome = 'ok' AND m.state = 'enabled' AND c.at >= \(Self.usageStartSQL)
            """, [.text(module), .int(through), Self.visitSeconds]
        ).first
        guard let n = row?.int(0), n > 0, let newest = row?.int(1) else { return nil }
        return Visits(count: n, newestHour: newest)
    }

    /// The newest call id of the log (0 when empty): one lookup of the primary key.
    func newestCallID() throws -> Int {
        try database.query("SELECT coalesce(max(id), 0) FROM module_calls").first?.int(0) ?? 0
    }

    /// Where each enabled module's usage history starts: its calls count from then. A module installed again after
    /// a removal starts anew unless it came back as the same build (`continuedUsage`); an upgrade keeps the start.
    public func usageStarts() throws -> [String: Double] {
        var out: [String: Double] = [:]
        for row in try database.query("SELECT m.name, \(Self.usageStartSQL) FROM modules m WHERE m.state = 'enabled'") {
            if let name = row.text(0), let at = row.double(1) { out[name] = at }
        }
        return out
    }

    /// Where the usage history of `removed` (a module's archived row) goes on when `p` installs it again: the start
    /// of that history when `p`'s content is a build approved under this name during it (the one removed, or an
    /// earlier one it was upgraded from), nil otherwise (the history starts at this install).
    ///
    /// What a person expects of a reinstall: removing an app and installing it back (to fix a broken install, or
    /// after a change of mind) keeps the record of using it, as an in-place upgrade does. A different build after a
    /// removal starts afresh: the name is all that would tie it to the old one, and any author can choose any name
    /// or version label ("0.1.0" is every new module's), so only the content digest the person approved says it is
    /// the same app; a module rebuilt by self-building while installed is an upgrade and keeps its history.
    func continuedUsage(of removed: ModuleRecord, as p: PendingOperation) throws -> Double? {
        let start =
            try database.query("SELECT \(Self.usageStartSQL) FROM modules m WHERE m.name = ?", [.text(removed.name)])
            .first?.double(0) ?? removed.installedAt
        let same = try database.query(
            "SELECT 1 FROM module_versions WHERE name = ? AND sha256 = ? AND approved_at >= ? LIMIT 1",
            [.text(removed.name), .text(p.newSHA256), .double(start)])
        return same.isEmpty && removed.sha256 != p.newSHA256 ? nil : start
    }

    /// `usageStarts()` for one module: nil when it is not enabled (removed, disabled or unknown). One lookup of the
    /// primary key.
    public func usageStart(of module: String) throws -> Double? {
        try database.query(
            "SELECT \(Self.usageStartSQL) FROM modules m WHERE m.name = ? AND m.state = 'enabled'", [.text(module)]
        ).first?.double(0)
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

    /// A number that moves whenever a module is installed, upgraded, rolled back, enabled, disabled or removed (by
    /// this process or another one on the same home): the newest row of the audit trail, which every such change
    /// writes in its own transaction (`ModuleAudit`). One indexed lookup, so a turn can afford it; other audit rows
    /// (approvals, the vault's) move it too, and `modulesChanged` then finds no module to look at again.
    public func lifecycleMark() throws -> Int {
        try database.query("SELECT coalesce(max(id), 0) FROM audit").first?.int(0) ?? 0
    }

    /// The modules whose lifecycle changed in the audit rows after `after` up to `through` (marks of
    /// `lifecycleMark()`): the targets of their install, upgrade, rollback, enable, disable and remove rows. An
    /// approval, a denial or a vault row names no module to look at again. Nil when more than `limit` such rows came
    /// in (another process reinstalled everything): the caller then reads every module's start at once. A range scan
    /// of the audit trail's primary key: as long as what changed, not as the module list.
    public func modulesChanged(after: Int, through: Int, limit: Int = 1_000) throws -> Set<String>? {
        let rows = try database.query(
            """
            SELECT target FROM audit
            WHERE id > ?1 AND id <= ?2 AND actor = ?3 AND action IN ('install', 'upgrade', 'rollback', 'enable',
                'disable', 'remove')
            LIMIT ?4
            """, [.int(after), .int(through), .text(ModuleAudit.actor), .int(limit + 1)])
        guard rows.count <= limit else { return nil }
        let prefix = "module/"
        return Set(
            rows.compactMap { row in
                row.text(0).flatMap { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil }
            })
    }
}
