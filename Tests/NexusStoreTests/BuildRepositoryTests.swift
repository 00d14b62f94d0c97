import NexusCore
import Testing

@testable import NexusStore

/// The record of builds that co-evolution learns from (issue 14 "Record").
@Suite struct BuildRepositorySpecs {
    func attempt(_ n: Int, passed: Bool) -> BuildRepository.Attempt {
        BuildRepository.Attempt(
            number: n, stage: n == 1 ? "generate" : "repair", provider: "fake", model: n == 1 ? "big" : "small",
            passed: passed, failureCategory: passed ? nil : "syntax", failedCheck: passed ? nil : "syntax",
            error: passed ? nil : "adapter.py:3:9: invalid syntax", diffLines: n == 1 ? 0 : 4,
            checkTimings: [["name": "syntax", "result": passed ? "pass" : "fail", "seconds": 0.05]], tokensIn: 100,
            tokensOut: 50, seconds: 1.5)
    }

    @Test func aBuildKeepsItsRequestAttemptsOutcomeAndCost() throws {
        let db = try Database(path: ":memory:")
        let repo = BuildRepository(db: db)
        try repo.start(
            id: "ab12cd34", session: "s1", request: "quotes by id", requestedName: "quotes", docsBytes: 10,
            templateVersion: "1", folder: "/h/builds/ab12cd34")
        try repo.addAttempt(build: "ab12cd34", attempt(1, passed: false))
        try repo.addAttempt(build: "ab12cd34", attempt(2, passed: true))
        try LedgerRepository(db: db).record(
            LLMCallRecord(
                service: "build", taskType: "code_generation", provider: "fake", model: "big",
                moduleContext: "build:ab12cd34", tier: "heavy", tokensIn: 100, tokensOut: 50, latencyMs: 5,
                costUSD: 0.25, outcome: "ok", isLocal: false),
            session: "s1", turn: 1)
        let totals = try repo.ledgerTotals(build: "ab12cd34")
        #expect(totals.calls == 1 && totals.tokensIn == 100 && totals.costUSD == 0.25)
        try repo.finish(
            id: "ab12cd34", outcome: "installed", module: "quotes", sha256: "f00d", lastError: nil, tokensIn: 200,
            tokensOut: 100, costUSD: 0.5)
        let listed = try repo.list()
        #expect(listed.map(\.id) == ["ab12cd34"])
        #expect(listed.first?.attemptCount == 2 && listed.first?.outcome == "installed")
        let (b, attempts) = try #require(try repo.get("ab12"))
        #expect(b.sha256 == "f00d" && b.templateVersion == "1" && b.requestedName == "quotes" && b.costUSD == 0.5)
        #expect(attempts.map(\.model) == ["big", "small"])
        #expect(attempts.first?.failureCategory == "syntax" && attempts.last?.diffLines == 4)
        #expect(attempts.first?.checkTimings[0]?["result"]?.stringValue == "fail")
    }

    @Test func anAmbiguousOrUnknownIdFindsNothing() throws {
        let db = try Database(path: ":memory:")
        let repo = BuildRepository(db: db)
        for id in ["ab000001", "ab000002"] {
            try repo.start(
                id: id, session: nil, request: "x", requestedName: nil, docsBytes: 0, templateVersion: "1", folder: "/f"
            )
        }
        #expect(try repo.get("ab") == nil)
        #expect(try repo.get("zz") == nil)
        #expect(try repo.get("ab000002")?.0.id == "ab000002")
        #expect(try repo.get("%") == nil, "a LIKE wildcard in the id is not a wildcard")
        #expect(try repo.get("ab000001%") == nil)
    }
}
