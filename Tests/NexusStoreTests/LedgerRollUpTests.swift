import NexusCore
import NexusTesting
import Testing

@testable import NexusStore

/// All-time `/cost` totals come from a roll-up kept by a trigger; they must always equal what the rows say.
@Suite struct LedgerRollUpSpecs {
    /// The totals a full scan of the calls gives: what the roll-up must agree with.
    func scanned(_ db: Database, _ grouping: LedgerRepository.Grouping) throws -> [LedgerRepository.Total] {
        try LedgerRepository(db: db).totalsByScan(by: grouping)
    }

    func record(_ ledger: LedgerRepository, _ i: Int) throws {
        let providers = ["anthropic", "openai", "local"]
        let provider = providers[i % 3]
        try ledger.record(
            LLMCallRecord(
                taskType: ["conversation", "code_generation", "classification", "summarization"][i % 4],
                provider: provider, model: provider == "local" ? "smollm2" : "m\(i % 2)", tier: "standard",
                tokensIn: 10 + i, tokensOut: i % 7, latencyMs: 1, costUSD: provider == "local" ? 0 : Double(i) / 1024,
                outcome: "ok", isLocal: provider == "local", tokensEstimated: provider == "local" && i % 5 == 0),
            session: "s\(i % 4)", turn: i)
    }

    @Test func allTimeTotalsEqualAScanOfEveryCall() throws {
        let db = try Database(path: ":memory:")
        let ledger = LedgerRepository(db: db)
        for i in 0..<500 { try record(ledger, i) }
        for g in [LedgerRepository.Grouping.provider, .model, .taskType, .session] {
            #expect(try ledger.totals(by: g) == scanned(db, g), "grouping \(g)")
        }
        let all = try ledger.grandTotal()
        #expect(all.calls == 500)
        #expect(all.tokensIn == (0..<500).reduce(0) { $0 + 10 + $1 })
        #expect(!all.allLocal)
        #expect(all.anyEstimated)
        let local = try ledger.totals(by: .provider).first { $0.key == "local" }
        #expect(local?.allLocal == true)
        #expect(local?.anyEstimated == true)
    }

    @Test func oneSessionsTotalsCountOnlyItsCalls() throws {
        let db = try Database(path: ":memory:")
        let ledger = LedgerRepository(db: db)
        for i in 0..<40 { try record(ledger, i) }
        #expect(try ledger.grandTotal(session: "s1").calls == 10)
        #expect(try ledger.totals(by: .provider, session: "s1").reduce(0) { $0 + $1.calls } == 10)
    }

    @Test func callsLedgeredBeforeTheRollUpExistedAreCounted() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/nexus.db"
        do {
            let old = try Database(path: path, migrations: [Schema.v1, Schema.v2])
            for i in 0..<30 { try record(LedgerRepository(db: old), i) }
        }
        let db = try Database(path: path)
        let ledger = LedgerRepository(db: db)
        #expect(try ledger.grandTotal().calls == 30)
        try record(ledger, 30)
        for g in [LedgerRepository.Grouping.provider, .model, .taskType] {
            #expect(try ledger.totals(by: g) == scanned(db, g), "grouping \(g)")
        }
    }

    @Test func anEmptyLedgerTotalsZero() throws {
        let ledger = LedgerRepository(db: try Database(path: ":memory:"))
        let all = try ledger.grandTotal()
        #expect(all.calls == 0)
        #expect(all.costUSD == 0)
        #expect(try ledger.totals(by: .provider).isEmpty)
    }
}
