import NexusCore
import NexusTesting
import Testing

@testable import NexusStore

/// The synthetic store `nexus bench` fills: the rows it promises, and a ledger whose roll-up still agrees.
@Suite struct SyntheticUsageSpecs {
    @Test func aFilledHistoryHoldsItsSessionsMessagesAndCalls() throws {
        let db = try Database(path: ":memory:")
        try SyntheticUsageRepository(db: db).fillHistory(sessions: 10, rows: 200)
        #expect(try db.query("SELECT COUNT(*) FROM sessions").first?.int(0) == 10)
        #expect(try db.query("SELECT COUNT(*) FROM messages").first?.int(0) == 200)
        let ledger = LedgerRepository(db: db)
        #expect(try ledger.callCount(excludingSession: "none") == 200)
        #expect(try ledger.totals(by: .provider) == ledger.totalsByScan(by: .provider))
    }

    @Test func earlierCallsAreCountedApartAndRolledUp() throws {
        let db = try Database(path: ":memory:")
        let ledger = LedgerRepository(db: db)
        try SyntheticUsageRepository(db: db).addEarlierCalls(count: 30, session: "old")
        #expect(try ledger.callCount(excludingSession: "old") == 0)
        #expect(try ledger.grandTotal().calls == 30)
        for g in [LedgerRepository.Grouping.provider, .taskType] {
            // Costs of 0.001 are summed in another order by the roll-up: compare them within a rounding error.
            let (rolled, scanned) = (try ledger.totals(by: g), try ledger.totalsByScan(by: g))
            #expect(rolled.map(\.key) == scanned.map(\.key) && rolled.map(\.calls) == scanned.map(\.calls))
            #expect(zip(rolled, scanned).allSatisfy { abs($0.costUSD - $1.costUSD) < 1e-9 })
        }
        #expect(try ledger.totalsByScan(by: .provider).map(\.key).sorted() == ["anthropic", "local"])
    }
}
