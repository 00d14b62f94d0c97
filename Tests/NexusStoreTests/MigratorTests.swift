import NexusCore
import NexusTesting
import Testing

@testable import NexusStore

/// Schema steps are numbered in ranges per subsystem; each file records which steps it has seen.
@Suite struct MigratorSpecs {
    /// A file as the first release wrote it: steps 1, 10 and 20 applied, user_version 20, no step ledger.
    func firstReleaseFile(at path: String) throws {
        let db = try Database(path: path, migrations: [Schema.v1, Schema.modulesV10, Schema.v20])
        try db.execute("DROP TABLE schema_migrations")
        #expect(try db.userVersion() == 20)
    }

    func columns(_ db: Database, _ table: String) throws -> [String] {
        try db.query("PRAGMA table_info(\(table))").compactMap { $0.text(1) }
    }

    @Test func aCoreStepAddedAfterLaterRangesIsStillApplied() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/nexus.db"
        try firstReleaseFile(at: path)
        let db = try Database(path: path)
        #expect(try columns(db, "llm_calls").contains("tokens_estimated"))
        let steps = try db.query("SELECT version FROM schema_migrations ORDER BY version").compactMap { $0.int(0) }
        #expect(steps == Schema.migrations.map(\.version).sorted())
        #expect(
            try db.userVersion() == Schema.migrations.map(\.version).max(),
            "user_version stays the highest step, for older nexus versions")
        // Data written before the upgrade is still there and reads as not estimated.
        try db.execute(
            "INSERT INTO llm_calls (service, task_type, provider, model, tier, tokens_in, tokens_out, latency_ms, cost_usd, outcome, is_local, created_at) VALUES ('o','t','p','m','s',1,2,3,0,'ok',1,0)"
        )
        #expect(try LedgerRepository(db: db).grandTotal().anyEstimated == false)
    }

    @Test func doctorSeesTheAppliedStepsAsRanges() throws {
        let db = try Database(
            path: ":memory:", migrations: [Schema.v1, Schema.v2, Schema.v3, Schema.modulesV10, Schema.v20])
        #expect(try db.appliedStepsSummary() == "1–3, 10, 20")
    }

    @Test func reopeningAppliesNothingTwice() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/nexus.db"
        try firstReleaseFile(at: path)
        _ = try Database(path: path)
        let again = try Database(path: path)
        let steps = try again.query("SELECT version FROM schema_migrations").compactMap { $0.int(0) }
        #expect(steps.count == Set(steps).count)
        #expect(steps.count == Schema.migrations.count)
    }

    @Test func aStepThisNexusDoesNotKnowIsRefusedAsNewer() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/nexus.db"
        do {
            let db = try Database(path: path)
            // A newer nexus applied module step 19: user_version stays as it was, only the step ledger tells.
            try db.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (19, 0)")
        }
        #expect {
            _ = try Database(path: path)
        } throws: { error in
            guard let e = error as? StoreError, case .newerSchema(_, 19, _) = e else { return false }
            return e.userMessage.contains("newer nexus")
        }
    }
}
