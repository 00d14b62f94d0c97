import NexusCore
import NexusTesting
import Testing

@testable import NexusStore

/// The ledger keeps attempts that did not answer (retried, failed over, cut, cancelled) apart from the calls
/// that did, in one session's totals and in the all-time roll-up alike, including rows written before the
/// roll-up counted them.
@Suite struct LedgerFailedAttemptsSpecs {
    func record(_ ledger: LedgerRepository, _ i: Int) throws {
        try ledger.record(
            LLMCallRecord(
                taskType: "conversation", provider: i % 2 == 0 ? "main" : "backup", model: "m", tier: "standard",
                tokensIn: 10, tokensOut: i % 3, latencyMs: 1, costUSD: 0.001,
                outcome: ["ok", "fallback", "ok", "rate_limited", "stream_cut", "cancelled"][i % 6], isLocal: false),
            session: "s\(i % 2)", turn: i)
    }

    @Test func failedAttemptsAreCountedApartEverywhereTheCallsAre() throws {
        let ledger = LedgerRepository(db: try Database(path: ":memory:"))
        for i in 0..<12 { try record(ledger, i) }
        let all = try ledger.grandTotal()
        #expect(all.calls == 12 && all.failed == 8 && all.answered == 4)
        #expect(all.callsText == "4 calls, 8 failed attempts")
        #expect(try ledger.grandTotal(session: "s0").failed == 2, "s0 holds the even rows: one stream_cut in every six")
        #expect(try ledger.totals(by: .provider) == ledger.totalsByScan(by: .provider))
        #expect(try ledger.totals(by: .provider, session: "s1").map(\.failed) == [6])
        #expect(try ledger.spentByModule().map(\.failed) == [8])
    }

    @Test func failedAttemptsLedgeredBeforeTheRollUpCountedThemAreCounted() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/nexus.db"
        do {
            let old = try Database(path: path, migrations: [Schema.v1, Schema.v2, Schema.v3])
            for i in 0..<6 { try record(LedgerRepository(db: old), i) }
        }
        let ledger = LedgerRepository(db: try Database(path: path))
        #expect(try ledger.grandTotal().failed == 4)
        try record(ledger, 6)
        try record(ledger, 7)
        #expect(try ledger.grandTotal().callsText == "3 calls, 5 failed attempts")
        for g in [LedgerRepository.Grouping.provider, .model, .taskType] {
            #expect(try ledger.totals(by: g) == ledger.totalsByScan(by: g), "grouping \(g)")
        }
    }

    @Test func oneAnsweredCallAndNoFailureReadsAsBefore() {
        let t = LedgerRepository.Total(key: "x", calls: 1, tokensIn: 1, tokensOut: 1, costUSD: 0, allLocal: true)
        #expect(t.callsText == "1 call")
        #expect(t.callsColumn == "   1 call ")
        #expect(t.failedSuffix == "")
    }
}
