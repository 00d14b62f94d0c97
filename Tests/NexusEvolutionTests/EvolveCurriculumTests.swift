import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusEvolution

/// The curriculum's choices, specified over a real (temporary) SQLite store: what the record says decides the
/// next challenge, the same record always gives the same one, and a row edited by hand is a one-line error.
@Suite struct EvolveCurriculumTests {
    static let farm = ["api_key_header", "bearer_token", "cursor_pagination", "rate_limit_429"]

    /// A store in a temp folder, filled with `rounds` (scenario, level, outcome, failures) in order.
    static func store(_ rounds: [(String, Int, EvolveAttempt.Outcome, [String])]) throws -> EvolveRecord {
        let dir = TemporaryDirectory(prefix: "nexus-evolve")
        let record = EvolveRecord(db: try Database(path: dir.path + "/nexus.db"))
        for (i, r) in rounds.enumerated() {
            try record.add(
                EvolveAttempt(
                    runID: "r", scenario: r.0, level: r.1, templateVersion: "3", model: "fake:fake-model", outcome: r.2,
                    failures: r.3, repairs: r.2 == .solved ? r.3.count : max(0, r.3.count - 1), seconds: 1,
                    costUSD: 0.01, buildID: "b\(i)", startedAt: Double(i)))
        }
        return record
    }

    static func next(_ rounds: [(String, Int, EvolveAttempt.Outcome, [String])]) throws -> EvolveChallenge? {
        Curriculum.next(scenarios: farm, record: try store(rounds).all())
    }

    @Test func anEmptyRecordStartsWithTheFirstScenarioAtLevelOne() throws {
        let c = try #require(try Self.next([]))
        #expect(c == EvolveChallenge(scenario: "api_key_header", level: 1, reason: "never tried"))
    }

    @Test func aScenarioThatFailedLastTimeComesBeforeOnesNeverTried() throws {
        let c = try #require(try Self.next([("cursor_pagination", 1, .failed, ["contract"])]))
        #expect(c.scenario == "cursor_pagination" && c.level == 1)
        #expect(c.reason.contains("failed last time"), "\(c.reason)")
    }

    @Test func theMostRecentFailureGoesFirst() throws {
        let c = try #require(
            try Self.next([("bearer_token", 1, .failed, ["syntax"]), ("rate_limit_429", 1, .failed, ["syntax"])]))
        #expect(c.scenario == "rate_limit_429")
    }

    @Test func aSolvedScenarioWaitsForTheUntriedThenMovesUpALevel() throws {
        let one = try #require(try Self.next([("api_key_header", 1, .solved, [])]))
        #expect(one.scenario == "bearer_token" && one.level == 1)
        let all = Self.farm.map { ($0, 1, EvolveAttempt.Outcome.solved, [String]()) }
        let up = try #require(try Self.next(all))
        #expect(up.scenario == "api_key_header" && up.level == 2, "\(up)")
        #expect(up.reason.contains("solved level 1"), "\(up.reason)")
    }

    @Test func scenariosFailingInTheWeakestCategoryArePreferred() throws {
        // test failures were repaired (fix rate 100%), contract failures never were: contract is the weakest, so
        // bearer_token goes before rate_limit_429 although rate_limit_429 failed more recently.
        let rounds: [(String, Int, EvolveAttempt.Outcome, [String])] = [
            ("api_key_header", 1, .solved, ["test"]),
            ("bearer_token", 1, .failed, ["contract", "contract"]),
            ("rate_limit_429", 1, .failed, ["syntax", "test"]),
            ("cursor_pagination", 1, .solved, ["syntax"]),
        ]
        let standing = EvolveStanding(try Self.store(rounds).all())
        #expect(standing.weakestCategory == "contract")
        let c = try #require(try Self.next(rounds))
        #expect(c.scenario == "bearer_token", "\(c)")
        #expect(c.reason.contains("weakest category, contract"), "\(c.reason)")
    }

    @Test func aCategoryEveryRepairGotPastIsNotTheWeakest() throws {
        let standing = EvolveStanding(try Self.store([("api_key_header", 1, .solved, ["contract"])]).all())
        #expect(standing.weakestCategory == nil)
        #expect(standing.categories["contract"]?.fixRate == 1)
    }

    @Test func aScenarioStuckForThreeRoundsYieldsItsTurn() throws {
        let stuck = Array(repeating: ("api_key_header", 1, EvolveAttempt.Outcome.failed, ["timeout"]), count: 3)
        let c = try #require(try Self.next(stuck))
        #expect(c.scenario == "bearer_token", "\(c)")
        // Only stuck scenarios left: the one tried longest ago.
        let only = Curriculum.next(scenarios: ["api_key_header"], record: try Self.store(stuck).all())
        #expect(only?.scenario == "api_key_header" && only?.reason.contains("stuck") == true)
    }

    @Test func aMasteredScenarioIsOnlyRevisitedAsARegressionCheck() throws {
        let mastered: [(String, Int, EvolveAttempt.Outcome, [String])] = [
            ("api_key_header", 1, .solved, []), ("api_key_header", 2, .solved, []), ("api_key_header", 3, .solved, []),
        ]
        // Round 4: an open scenario, not the mastered one.
        #expect(try Self.next(mastered)?.scenario == "bearer_token")
        // Round 5 of the record: a regression check at the top level.
        let fifth = try #require(try Self.next(mastered + [("bearer_token", 1, .failed, ["syntax"])]))
        #expect(fifth == EvolveChallenge(scenario: "api_key_header", level: 3, reason: "regression check"))
        // With --scenario on a mastered one: a regression check.
        let only = Curriculum.next(scenarios: ["api_key_header"], record: try Self.store(mastered).all())
        #expect(only?.reason == "regression check" && only?.level == 3)
    }

    @Test func aFailedRegressionCheckOpensTheScenarioAgain() throws {
        let rounds: [(String, Int, EvolveAttempt.Outcome, [String])] = [
            ("api_key_header", 1, .solved, []), ("api_key_header", 2, .solved, []), ("api_key_header", 3, .solved, []),
            ("api_key_header", 3, .failed, ["contract"]),
        ]
        let standing = EvolveStanding(try Self.store(rounds).all())
        #expect(standing.scenarios["api_key_header"]?.level == 2)
        let c = Curriculum.next(scenarios: ["api_key_header", "bearer_token"], record: try Self.store(rounds).all())
        #expect(c?.scenario == "api_key_header" && c?.level == 3, "\(String(describing: c))")
    }

    @Test func interruptedRoundsSayNothingAboutTheScenario() throws {
        let c = try #require(
            try Self.next([("api_key_header", 1, .interrupted, []), ("api_key_header", 1, .error, [])]))
        #expect(c == EvolveChallenge(scenario: "api_key_header", level: 1, reason: "never tried"))
    }

    @Test func theSameRecordAlwaysGivesTheSameChoice() throws {
        let rounds: [(String, Int, EvolveAttempt.Outcome, [String])] = [
            ("rate_limit_429", 1, .failed, ["contract"]), ("bearer_token", 1, .solved, ["syntax"]),
        ]
        let record = try Self.store(rounds).all()
        let first = Curriculum.next(scenarios: Self.farm, record: record)
        for _ in 0..<5 { #expect(Curriculum.next(scenarios: Self.farm.reversed(), record: record) == first) }
    }

    @Test func aRowEditedByHandIsAOneLineErrorNamingTheRowAndColumn() throws {
        let record = try Self.store([("api_key_header", 1, .failed, ["syntax"]), ("bearer_token", 1, .solved, [])])
        try record.db.execute("UPDATE evolve_attempts SET failures = 'syntax, contract' WHERE id = 1")
        #expect(
            throws: EvolveRecordError(row: 1, column: "failures", problem: "is not a JSON list of failure categories")
        ) {
            try record.all()
        }
        try record.db.execute(#"UPDATE evolve_attempts SET failures = '["rm -rf"]', outcome = 'failed' WHERE id = 1"#)
        do {
            _ = try record.all()
            Issue.record("a row naming an unknown category was read")
        } catch let e as EvolveRecordError {
            #expect(e.userMessage == #"evolve record row 1: failures holds "rm -rf", not a failure category"#)
            #expect(!e.userMessage.contains("\n") && e.hint?.contains("id = 1") == true)
        }
        try record.db.execute(#"UPDATE evolve_attempts SET failures = '[]', outcome = 'won', level = 2 WHERE id = 1"#)
        #expect(throws: EvolveRecordError.self) { try record.all() }
        try record.db.execute("UPDATE evolve_attempts SET outcome = 'failed', level = 99 WHERE id = 1")
        #expect(throws: EvolveRecordError(row: 1, column: "level", problem: "is not a level from 1 to 3")) {
            try record.all()
        }
    }

    @Test func statusFitsEightyColumnsAndNamesTheTemplateVersion() throws {
        let rounds: [(String, Int, EvolveAttempt.Outcome, [String])] = [
            ("api_key_header", 1, .solved, ["syntax"]), ("rate_limit_429", 1, .failed, ["contract", "contract"]),
        ]
        let record = try Self.store(rounds).all()
        let text = EvolveStatusText.text(scenarios: Self.farm, record: record, template: "3")
        for line in text.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
        #expect(text.contains("template 3"))
        let row = text.split(separator: "\n").first { $0.hasPrefix("api_key_header") }.map(String.init) ?? ""
        #expect(row.contains("1/3") && row.contains("solved L1"), "\(row)")
        #expect(text.contains("weakest: contract"))
        let json = EvolveStatusText.json(scenarios: Self.farm, record: record, template: "3")
        #expect(json["weakest"]?.stringValue == "contract")
        #expect(json["scenarios"]?.arrayValue?.count == 4)
        #expect(json["next"]?["scenario"]?.stringValue == "rate_limit_429")
    }
}
