import NexusCore
import NexusStore

/// The module registry in SQLite: one row per module, its approved versions, its call ledger and the
/// install journal. Everything `nexus modules list` shows comes from here without starting a process.
///
/// Text a module controls (error messages that quote its stderr, its tool list) passes `redact` (the
/// vault's redactor in a session) before it is stored, so no credential lands in a row.
public final class ModuleRegistry: Sendable {
    public let database: Database
    public let redact: @Sendable (String) -> String
    /// The same redactor, for text that arrives in pieces (module logs); nil outside a session.
    public let scrubber: (any SecretScrubber)?

    public init(
        database: Database, redact: @escaping @Sendable (String) -> String = { $0 },
        scrubber: (any SecretScrubber)? = nil
    ) {
        self.database = database
        self.redact = redact
        self.scrubber = scrubber
    }

    static let columns =
        "name, category, version, seq, state, path, sha256, source, created_by, health, last_error, calls, failures, latency_ms_total, tools, installed_at, updated_at"

    /// Every module not archived, by name. With `includeArchived`, removed ones too.
    public func all(includeArchived: Bool = false) throws -> [ModuleRecord] {
        let filter = includeArchived ? "" : " WHERE state != 'archived'"
        return try database.query("SELECT \(Self.columns) FROM modules\(filter) ORDER BY name").map(Self.record)
    }

    public func get(_ name: String) throws -> ModuleRecord? {
        try database.query("SELECT \(Self.columns) FROM modules WHERE name = ?", [.text(name)]).first.map(Self.record)
    }

    public func count() throws -> Int {
        try database.query("SELECT count(*) FROM modules WHERE state != 'archived'").first?.int(0) ?? 0
    }

    public func upsert(_ r: ModuleRecord) throws {
        try database.execute(Self.upsertSQL, Self.values(r))
    }

    static let upsertSQL = """
        INSERT INTO modules (\(columns)) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT(name) DO UPDATE SET category=excluded.category, version=excluded.version, seq=excluded.seq,
        state=excluded.state, path=excluded.path, sha256=excluded.sha256, source=excluded.source,
        created_by=excluded.created_by, health=excluded.health, last_error=excluded.last_error,
        calls=excluded.calls, failures=excluded.failures, latency_ms_total=excluded.latency_ms_total,
        tools=excluded.tools, installed_at=excluded.installed_at, updated_at=excluded.updated_at
        """

    static func values(_ r: ModuleRecord) -> [SQLValue] {
        [
            .text(r.name), .text(r.category), .text(r.version), .int(r.seq), .text(r.state.rawValue), .text(r.path),
            .text(r.sha256), .text(r.source), .optionalText(r.createdBy), .text(r.health.rawValue),
            .optionalText(r.lastError), .int(r.calls), .int(r.failures), .double(r.latencyMsTotal),
            .optionalText(r.tools.map { JSONValue.array($0.map(\.json)).serialized }), .double(r.installedAt),
            .double(r.updatedAt),
        ]
    }

    /// Sets the module's state and writes its audit row (`enable`, `disable`, `remove`) in one transaction.
    public func setState(_ name: String, _ state: ModuleRecord.State) throws {
        let now = WallClock.now()
        try database.transaction { tx in
            try tx.execute(
                "UPDATE modules SET state = ?, updated_at = ? WHERE name = ?",
                [.text(state.rawValue), .double(now), .text(name)])
            try ModuleAudit.insert(tx, action: ModuleAudit.action(for: state), module: name, detail: nil, at: now)
        }
    }

    public func setHealth(_ name: String, _ health: ModuleHealth, lastError: String?) throws {
        if let lastError {
            try database.execute(
                "UPDATE modules SET health = ?, last_error = ? WHERE name = ?",
                [.text(health.rawValue), .text(redact(lastError)), .text(name)])
        } else {
            try database.execute("UPDATE modules SET health = ? WHERE name = ?", [.text(health.rawValue), .text(name)])
        }
    }

    public func cacheTools(_ name: String, _ tools: [MCPTool]) throws {
        try database.execute(
            "UPDATE modules SET tools = ? WHERE name = ?",
            [.text(redact(JSONValue.array(tools.map(\.json)).serialized)), .text(name)])
    }

    /// Records one call's outcome (`ok`, `tool_error`, `error`, `rejected`) and latency.
    public func recordCall(module: String, tool: String, latencyMs: Double, outcome: String, error: String?) throws {
        let error = error.map(redact)
        let failed = outcome == "error" ? 1 : 0
        try database.transaction { tx in
            try tx.execute(
                "INSERT INTO module_calls (module, tool, at, latency_ms, outcome, error) VALUES (?,?,?,?,?,?)",
                [
                    .text(module), .text(tool), .double(WallClock.now()), .double(latencyMs), .text(outcome),
                    .optionalText(error),
                ])
            let id = tx.lastInsertRowID
            if failed == 1 {
                try tx.execute(
                    "UPDATE modules SET calls = calls + 1, failures = failures + 1, latency_ms_total = latency_ms_total + ?, last_error = ? WHERE name = ?",
                    [.double(latencyMs), .optionalText(error), .text(module)])
            } else {
                try tx.execute(
                    "UPDATE modules SET calls = calls + 1, latency_ms_total = latency_ms_total + ? WHERE name = ?",
                    [.double(latencyMs), .text(module)])
            }
            if id % 500 == 0 {
                // Keep the ledger bounded: the newest 1,000 calls per module.
                try tx.execute(
                    "DELETE FROM module_calls WHERE module = ? AND id <= (SELECT id FROM module_calls WHERE module = ? ORDER BY id DESC LIMIT 1 OFFSET 1000)",
                    [.text(module), .text(module)])
            }
        }
    }

    /// Median latency and error rate over the module's last `window` calls.
    public func recentStats(_ name: String, window: Int = 100) throws -> (p50: Double?, errorRate: Double) {
        let rows = try database.query(
            "SELECT latency_ms, outcome FROM module_calls WHERE module = ? ORDER BY id DESC LIMIT ?",
            [.text(name), .int(window)])
        if rows.isEmpty { return (nil, 0) }
        let lat = rows.compactMap { $0.double(0) }.sorted()
        let errors = rows.filter { $0.text(1) == "error" }.count
        return (lat[lat.count / 2], Double(errors) / Double(rows.count))
    }

    // MARK: versions

    public func versions(_ name: String) throws -> [ModuleVersion] {
        try database.query(
            "SELECT seq, version, sha256, approved_at FROM module_versions WHERE name = ? ORDER BY seq", [.text(name)]
        ).map {
            ModuleVersion(
                seq: $0.int(0) ?? 0, version: $0.text(1) ?? "", sha256: $0.text(2) ?? "", approvedAt: $0.double(3) ?? 0)
        }
    }

    // MARK: journal

    public func pending() throws -> [PendingOperation] {
        try database.query(
            "SELECT name, operation, category, target, staging, new_seq, new_version, new_sha256, source, created_by FROM module_pending"
        ).map {
            PendingOperation(
                name: $0.text(0) ?? "", operation: $0.text(1) ?? "", category: $0.text(2) ?? "",
                target: $0.text(3) ?? "",
                staging: $0.text(4) ?? "", newSeq: $0.int(5) ?? 1, newVersion: $0.text(6) ?? "",
                newSHA256: $0.text(7) ?? "",
                source: $0.text(8) ?? "", createdBy: $0.text(9))
        }
    }

    public func beginPending(_ p: PendingOperation) throws {
        try database.execute(
            "INSERT OR REPLACE INTO module_pending (name, operation, category, target, staging, new_seq, new_version, new_sha256, source, created_by, started_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                .text(p.name), .text(p.operation), .text(p.category), .text(p.target), .text(p.staging), .int(p.newSeq),
                .text(p.newVersion), .text(p.newSHA256), .text(p.source), .optionalText(p.createdBy),
                .double(WallClock.now()),
            ])
    }

    public func clearPending(_ name: String) throws {
        try database.execute("DELETE FROM module_pending WHERE name = ?", [.text(name)])
    }

    /// Commits a finished install/rollback: the module row, its version row, and the journal entry gone,
    /// in one transaction.
    public func commit(_ p: PendingOperation, manifestCreatedBy: String?) throws {
        let now = WallClock.now()
        let existing = try get(p.name)
        var r =
            existing
            ?? ModuleRecord(
                name: p.name, category: p.category, version: p.newVersion, path: p.target, sha256: p.newSHA256,
                source: p.source, installedAt: now)
        r.category = p.category
        r.version = p.newVersion
        r.seq = p.newSeq
        r.path = p.target
        r.sha256 = p.newSHA256
        r.source = p.source
        r.createdBy = manifestCreatedBy ?? p.createdBy
        r.tools = nil
        r.health = .unknown
        r.lastError = nil
        if r.state == .archived { r.state = .enabled }
        if existing?.state == .archived {
            r.calls = 0
            r.failures = 0
            r.latencyMsTotal = 0
            r.installedAt = now
        }
        r.updatedAt = now
        let row = r
        // Back after a removal: the usage history goes on only for a build the person had under this name.
        let reinstalled = existing?.state == .archived
        let usageSince = try existing.flatMap { reinstalled ? try continuedUsage(of: $0, as: p) : nil }
        try database.transaction { tx in
            try tx.execute(Self.upsertSQL, Self.values(row))
            if reinstalled {
                let since: SQLValue = usageSince.map { .double($0) } ?? .null
                try tx.execute("UPDATE modules SET usage_since = ? WHERE name = ?", [since, .text(p.name)])
            }
            try tx.execute(
                "INSERT OR REPLACE INTO module_versions (name, seq, version, sha256, approved_at) VALUES (?,?,?,?,?)",
                [.text(p.name), .int(p.newSeq), .text(p.newVersion), .text(p.newSHA256), .double(now)])
            try tx.execute("DELETE FROM module_pending WHERE name = ?", [.text(p.name)])
            try ModuleAudit.insert(
                tx, action: p.operation, module: p.name, detail: "\(p.newVersion) v\(p.newSeq) sha256 \(p.newSHA256)",
                at: now)
        }
    }

    static func record(_ row: Row) -> ModuleRecord {
        var tools: [MCPTool]?
        // A tool cache that is not JSON reads as none: the tools are listed again when the module starts.
        if let t = row.text(14), let arr = (try? JSONValue(parsing: t))?.arrayValue {
            tools = arr.compactMap(MCPTool.init(json:))
        }
        return ModuleRecord(
            name: row.text(0) ?? "", category: row.text(1) ?? "", version: row.text(2) ?? "", seq: row.int(3) ?? 1,
            state: ModuleRecord.State(rawValue: row.text(4) ?? "") ?? .disabled, path: row.text(5) ?? "",
            sha256: row.text(6) ?? "", source: row.text(7) ?? "", createdBy: row.text(8),
            health: ModuleHealth(rawValue: row.text(9) ?? "") ?? .unknown, lastError: row.text(10),
            calls: row.int(11) ?? 0,
            failures: row.int(12) ?? 0, latencyMsTotal: row.double(13) ?? 0, tools: tools,
            installedAt: row.double(15) ?? 0,
            updatedAt: row.double(16) ?? 0)
    }
}
