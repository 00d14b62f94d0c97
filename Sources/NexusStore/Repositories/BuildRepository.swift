import NexusCore

/// The record of module builds (`builds`, `build_attempts`): started when a build plans, one attempt row as
/// each attempt ends, finished with its outcome. `nexus modules builds [ID]` and `/builds` read it.
public struct BuildRepository: Sendable {
    public let db: Database
    public init(db: Database) { self.db = db }

    /// One build as listed.
    public struct Build: Sendable, Equatable {
        public var id: String
        public var request: String
        public var requestedName: String?
        public var templateVersion: String
        public var folder: String
        public var module: String?
        public var outcome: String
        public var lastError: String?
        public var sha256: String?
        public var tokensIn: Int
        public var tokensOut: Int
        public var costUSD: Double
        public var startedAt: Double
        public var finishedAt: Double?
        public var attemptCount: Int
        public var seconds: Double? { finishedAt.map { $0 - startedAt } }
    }

    /// One attempt row.
    public struct Attempt: Sendable, Equatable {
        public var number: Int
        public var stage: String
        public var provider: String
        public var model: String
        public var passed: Bool
        public var failureCategory: String?
        public var failedCheck: String?
        public var error: String?
        public var diffLines: Int
        /// `[{"name":..,"result":..,"seconds":..}]`
        public var checkTimings: JSONValue
        public var tokensIn: Int
        public var tokensOut: Int
        public var seconds: Double

        public init(
            number: Int, stage: String, provider: String, model: String, passed: Bool, failureCategory: String?,
            failedCheck: String?, error: String?, diffLines: Int, checkTimings: JSONValue, tokensIn: Int,
            tokensOut: Int,
            seconds: Double
        ) {
            self.number = number
            self.stage = stage
            self.provider = provider
            self.model = model
            self.passed = passed
            self.failureCategory = failureCategory
            self.failedCheck = failedCheck
            self.error = error
            self.diffLines = diffLines
            self.checkTimings = checkTimings
            self.tokensIn = tokensIn
            self.tokensOut = tokensOut
            self.seconds = seconds
        }
    }

    public func start(
        id: String, session: String?, request: String, requestedName: String?, docsBytes: Int, templateVersion: String,
        folder: String
    ) throws {
        try db.execute(
            """
            INSERT INTO builds (id, session_id, request, requested_name, docs_bytes, template_version, folder, outcome,
                started_at) VALUES (?,?,?,?,?,?,?,'running',?)
            """,
            [
                .text(id), .optionalText(session), .text(request), .optionalText(requestedName), .int(docsBytes),
                .text(templateVersion), .text(folder), .double(WallClock.now()),
            ])
    }

    public func addAttempt(build id: String, _ a: Attempt) throws {
        try db.execute(
            """
            INSERT OR REPLACE INTO build_attempts (build_id, number, stage, provider, model, passed, failure_category,
                failed_check, error, diff_lines, check_timings, tokens_in, tokens_out, seconds)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """,
            [
                .text(id), .int(a.number), .text(a.stage), .text(a.provider), .text(a.model), .int(a.passed ? 1 : 0),
                .optionalText(a.failureCategory), .optionalText(a.failedCheck),
                .optionalText(a.error.map { String($0.prefix(8192)) }),
                .int(a.diffLines), .text(a.checkTimings.serialized), .int(a.tokensIn), .int(a.tokensOut),
                .double(a.seconds),
            ])
    }

    /// Ends a build: `installed`, `degraded` (installed, live test failed), `passed` (not installed),
    /// `denied`, `failed` or `cancelled`.
    public func finish(
        id: String, outcome: String, module: String?, sha256: String?, lastError: String?, tokensIn: Int,
        tokensOut: Int,
        costUSD: Double
    ) throws {
        try db.execute(
            """
            UPDATE builds SET outcome = ?, module = ?, sha256 = ?, last_error = ?, tokens_in = ?, tokens_out = ?,
                cost_usd = ?, finished_at = ? WHERE id = ?
            """,
            [
                .text(outcome), .optionalText(module), .optionalText(sha256),
                .optionalText(lastError.map { String($0.prefix(8192)) }),
                .int(tokensIn), .int(tokensOut), .double(costUSD), .double(WallClock.now()), .text(id),
            ])
    }

    /// Calls, tokens and cost of the ledger rows tagged with this build (`module_context = "build:<id>"`).
    public func ledgerTotals(build id: String) throws -> (calls: Int, tokensIn: Int, tokensOut: Int, costUSD: Double) {
        let r = try db.query(
            "SELECT COUNT(*), SUM(tokens_in), SUM(tokens_out), SUM(cost_usd) FROM llm_calls WHERE module_context = ?",
            [.text("build:" + id)]
        ).first
        return (r?.int(0) ?? 0, r?.int(1) ?? 0, r?.int(2) ?? 0, r?.double(3) ?? 0)
    }

    static let columns = """
        b.id, b.request, b.requested_name, b.template_version, b.folder, b.module, b.outcome, b.last_error, b.sha256,
        b.tokens_in, b.tokens_out, b.cost_usd, b.started_at, b.finished_at,
        (SELECT COUNT(*) FROM build_attempts a WHERE a.build_id = b.id)
        """

    /// The most recent builds, newest first.
    public func list(limit: Int = 50) throws -> [Build] {
        try db.query("SELECT \(Self.columns) FROM builds b ORDER BY b.started_at DESC LIMIT ?", [.int(limit)]).map(
            Self.build)
    }

    /// One build by id (or unique id prefix), with its attempts.
    public func get(_ id: String) throws -> (Build, [Attempt])? {
        let prefix = String(id.filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
        guard !prefix.isEmpty, prefix == id else { return nil }
        let rows = try db.query(
            "SELECT \(Self.columns) FROM builds b WHERE b.id LIKE ? ORDER BY b.id = ? DESC LIMIT 2",
            [.text(prefix + "%"), .text(id)])
        guard let first = rows.first else { return nil }
        let b = Self.build(first)
        if b.id != id && rows.count > 1 { return nil }
        let attempts = try db.query(
            """
            SELECT number, stage, provider, model, passed, failure_category, failed_check, error, diff_lines,
                check_timings, tokens_in, tokens_out, seconds FROM build_attempts WHERE build_id = ? ORDER BY number
            """, [.text(b.id)]
        ).map {
            Attempt(
                number: $0.int(0) ?? 0, stage: $0.text(1) ?? "", provider: $0.text(2) ?? "", model: $0.text(3) ?? "",
                passed: $0.int(4) == 1, failureCategory: $0.text(5), failedCheck: $0.text(6), error: $0.text(7),
                // Display only: a row without readable timings shows none.
                diffLines: $0.int(8) ?? 0, checkTimings: (try? JSONValue(parsing: $0.text(9) ?? "[]")) ?? .array([]),
                tokensIn: $0.int(10) ?? 0, tokensOut: $0.int(11) ?? 0, seconds: $0.double(12) ?? 0)
        }
        return (b, attempts)
    }

    static func build(_ r: Row) -> Build {
        Build(
            id: r.text(0) ?? "", request: r.text(1) ?? "", requestedName: r.text(2), templateVersion: r.text(3) ?? "",
            folder: r.text(4) ?? "", module: r.text(5), outcome: r.text(6) ?? "", lastError: r.text(7),
            sha256: r.text(8),
            tokensIn: r.int(9) ?? 0, tokensOut: r.int(10) ?? 0, costUSD: r.double(11) ?? 0,
            startedAt: r.double(12) ?? 0,
            finishedAt: r.double(13), attemptCount: r.int(14) ?? 0)
    }
}
