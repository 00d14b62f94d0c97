import NexusCore
import NexusStore

/// The co-evolution record over the store's `evolve_attempts` table. Rows are read back strictly: a row edited
/// by hand (an unknown outcome, a level out of range, failures that are not a list of categories) is a one-line
/// error naming the row and the column, never a crash and never a guess.
public struct EvolveRecord: Sendable {
    public let db: Database
    public init(db: Database) { self.db = db }

    /// The most repairs a row may hold: far above what a round takes (`[build] max_repairs` is at most 10), far
    /// below what summing every row could overflow.
    static let maxRepairs = 1_000

    /// Appends a round; returns its row id.
    @discardableResult
    public func add(_ a: EvolveAttempt) throws -> Int64 {
        try db.transaction { tx in
            try tx.execute(
                """
                INSERT INTO evolve_attempts (run_id, scenario, level, template_version, model, outcome, failures,
                    repairs, seconds, cost_usd, tokens_in, tokens_out, build_id, error, lesson, started_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """,
                [
                    .text(a.runID), .text(a.scenario), .int(a.level), .text(a.templateVersion), .text(a.model),
                    .text(a.outcome.rawValue), .text(JSONValue.array(a.failures.map { .string($0) }).serialized),
                    .int(a.repairs), .double(a.seconds), .double(a.costUSD), .int(a.tokensIn), .int(a.tokensOut),
                    .text(a.buildID), .optionalText(a.error.map { String($0.prefix(2048)) }), .optionalText(a.lesson),
                    .double(a.startedAt),
                ])
            return tx.lastInsertRowID
        }
    }

    /// Every round, oldest first.
    public func all() throws -> [EvolveAttempt] {
        try db.query(
            """
            SELECT id, run_id, scenario, level, template_version, model, outcome, failures, repairs, seconds, cost_usd,
                tokens_in, tokens_out, build_id, error, lesson, started_at FROM evolve_attempts ORDER BY id
            """
        ).map { try Self.attempt($0) }
    }

    /// Reads one row, refusing what a hand edit may have broken.
    static func attempt(_ r: Row) throws(EvolveRecordError) -> EvolveAttempt {
        let id = Int64(r.int(0) ?? 0)
        func bad(_ column: String, _ problem: String) -> EvolveRecordError {
            EvolveRecordError(row: id, column: column, problem: problem)
        }
        guard let scenario = r.text(2), FarmName.isValid(scenario) else {
            throw bad("scenario", "is not a scenario name")
        }
        guard let level = r.int(3), (1...EvolveChallenge.maxLevel).contains(level) else {
            throw bad("level", "is not a level from 1 to \(EvolveChallenge.maxLevel)")
        }
        guard let outcomeText = r.text(6), let outcome = EvolveAttempt.Outcome(rawValue: outcomeText) else {
            throw bad(
                "outcome", "is not one of \(EvolveAttempt.Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        // Not JSON reads as no list, which is refused just below.
        let parsed = try? JSONValue(parsing: r.text(7) ?? "")
        guard let list = parsed?.arrayValue, list.count <= 64 else {
            throw bad("failures", "is not a JSON list of failure categories")
        }
        var failures: [String] = []
        for item in list {
            guard let c = item.stringValue, EvolveAttempt.knownCategories.contains(c) else {
                throw bad("failures", "holds \(String(item.serialized.prefix(40))), not a failure category")
            }
            failures.append(c)
        }
        // Bounded, not only non-negative: the repairs of every row are summed, and an Int that overflows traps.
        guard let repairs = r.int(8), (0...maxRepairs).contains(repairs) else {
            throw bad("repairs", "is not a number of repairs from 0 to \(maxRepairs)")
        }
        guard let seconds = r.double(9), seconds.isFinite, seconds >= 0, let cost = r.double(10), cost.isFinite,
            cost >= 0
        else { throw bad("seconds/cost_usd", "is not a non-negative number") }
        // Printed by `nexus evolve status`: a terminal escape or a screenful planted here never reaches the screen.
        let version = r.text(4) ?? ""
        guard version.count <= 80, version.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
            throw bad("template_version", "is not a template label (printable ASCII, at most 80 characters)")
        }
        return EvolveAttempt(
            id: id, runID: r.text(1) ?? "", scenario: scenario, level: level, templateVersion: version,
            model: r.text(5) ?? "", outcome: outcome, failures: failures, repairs: repairs, seconds: seconds,
            costUSD: cost, tokensIn: r.int(11) ?? 0, tokensOut: r.int(12) ?? 0, buildID: r.text(13) ?? "",
            error: r.text(14), lesson: r.text(15), startedAt: r.double(16) ?? 0)
    }
}

/// A row of the evolve record that cannot be read back as written (edited by hand, or by another program).
public struct EvolveRecordError: UserFacingError, Equatable {
    public var row: Int64
    public var column: String
    public var problem: String

    public var userMessage: String { "evolve record row \(row): \(column) \(problem)" }
    public var hint: String? {
        "delete that row (sqlite3 $NEXUS_HOME/nexus.db 'DELETE FROM evolve_attempts WHERE id = \(row)') or fix it"
    }
}

/// A farm scenario's name: lowercase letters, digits and underscores, at most 64 (the folder names of `farm/`).
enum FarmName {
    static func isValid(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }
}
