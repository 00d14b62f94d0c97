import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusOrchestrator

/// The budget guard (issue 16 item 6), in process: the real orchestrator and gateway, scripted providers
/// and person. `fake:big` costs 1000 USD per million prompt tokens, `fake:small` almost nothing, so a turn's
/// prompt (~40 tokens) costs ~0.04 USD on the big model.
@Suite struct BudgetSpecs {
    static func config(_ budget: String, chain: String = "[\"fake:big\", \"fake:small\"]") -> String {
        """
        [providers.fake]
        kind = "openai"
        base_url = "http://127.0.0.1:9/v1"
        max_retries = 0

        [routing]
        simple_query = \(chain)
        complex_reasoning = \(chain)
        code_generation = \(chain)

        [pricing."fake:big"]
        input_per_mtok = 1000.0
        output_per_mtok = 1000.0

        [pricing."fake:small"]
        input_per_mtok = 0.001
        output_per_mtok = 0.001

        [budget]
        \(budget)
        """
    }

    static func budgetEvents(_ events: [Event]) -> [(scope: String, action: String)] {
        events.compactMap { if case .budget(let s, _, _, let a) = $0.kind { (s, a) } else { nil } }
    }

    @Test func overThePerTurnCapTheCallGoesToTheNextCheaperModelAndSaysSo() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "cheap answer")])
        let nexus = try InProcessNexus(config: Self.config("per_turn_usd = 0.01"), providers: [fake])
        let (outcome, events) = await nexus.run("hello there")
        #expect(outcome == .done)
        #expect(fake.requests.map(\.model) == ["small"])
        #expect(Self.budgetEvents(events).map(\.action) == ["downgrade"])
        #expect(Self.budgetEvents(events).first?.scope == "per_turn")
        let notices = events.compactMap { if case .notice(let n) = $0.kind { n } else { nil } }
        #expect(
            notices.contains {
                $0.contains("fake:big would go over the per-turn cap") && $0.contains("using fake:small")
            })
        await nexus.close()
    }

    @Test func underEveryCapNothingChanges() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "answer")])
        let nexus = try InProcessNexus(config: Self.config("per_turn_usd = 5\ndaily_usd = 10"), providers: [fake])
        let (outcome, events) = await nexus.run("hello there")
        #expect(outcome == .done)
        #expect(fake.requests.map(\.model) == ["big"])
        #expect(Self.budgetEvents(events).isEmpty)
        await nexus.close()
    }

    @Test func stopRefusesTheCallWithExitThreeAndSendsNothing() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "should not be asked")])
        let nexus = try InProcessNexus(
            config: Self.config("session_usd = 0.01\non_exceed = \"stop\""), providers: [fake])
        let (outcome, events) = await nexus.run("hello there")
        #expect(outcome == .failed(.approvalNeeded))
        #expect(fake.requests.isEmpty)
        #expect(Self.budgetEvents(events).map(\.action) == ["stop"])
        let errors = events.compactMap { if case .error(let m, let h) = $0.kind { (m, h ?? "") } else { nil } }
        #expect(errors.first?.0.contains("go over the session cap") == true)
        #expect(errors.first?.1.contains("nexus budget") == true)
        await nexus.close()
    }

    @Test func withNothingCheaperThePersonIsAskedAndANoEndsTheTurnWithExitThree() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "x")])
        let person = ScriptedInteraction(answers: [.no])
        let nexus = try InProcessNexus(
            config: Self.config("per_turn_usd = 0.01", chain: "\"fake:big\""), providers: [fake], interaction: person)
        let (outcome, events) = await nexus.run("hello there")
        #expect(outcome == .failed(.approvalNeeded))
        #expect(fake.requests.isEmpty)
        #expect(person.approvalsAsked.count == 1)
        #expect(person.approvalsAsked.first?.title.contains("per-turn budget") == true)
        #expect(events.contains { if case .approvalRequired = $0.kind { true } else { false } })
        #expect(Self.budgetEvents(events).map(\.action) == ["ask", "stop"])
        await nexus.close()
    }

    @Test func aYesLetsTheCallThroughOnceForTheTurn() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "expensive answer")])
        let person = ScriptedInteraction(answers: [.yes])
        let nexus = try InProcessNexus(
            config: Self.config("per_turn_usd = 0.01", chain: "\"fake:big\""), providers: [fake], interaction: person)
        let (outcome, _) = await nexus.run("hello there")
        #expect(outcome == .done)
        #expect(fake.requests.map(\.model) == ["big"])
        await nexus.close()
    }

    @Test func theDailyCapCountsWhatOtherSessionsSpentToday() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "x")])
        let nexus = try InProcessNexus(
            config: Self.config("daily_usd = 1.0\non_exceed = \"stop\"", chain: "\"fake:big\""), providers: [fake])
        let other = LLMCallRecord(
            taskType: "simple_query", provider: "fake", model: "big", tier: "standard", tokensIn: 1000, tokensOut: 0,
            latencyMs: 1, costUSD: 0.99, outcome: "ok", isLocal: false)
        try LedgerRepository(db: nexus.context.database).record(other, session: "another-session", turn: 1)
        let (outcome, events) = await nexus.run("hello there")
        #expect(outcome == .failed(.approvalNeeded))
        #expect(Self.budgetEvents(events).first?.scope == "daily")
        await nexus.close()
    }

    @Test func aRouteCapAppliesToItsTaskTypeOnly() throws {
        let config = try ConfigLoader.load(
            text: Self.config("[budget.routes]\ncode_generation = 0.01"), file: "t.toml", environment: [:]
        ).config
        let guardian = BudgetGuard(config: config)
        let chain = [ModelRef(provider: "fake", model: "big")]
        let spent = BudgetGuard.Spending()
        #expect(guardian.check(chain: chain, task: .simpleQuery, promptTokens: 100, spending: spent) == .proceed)
        guard
            case .exceeded(let b) = guardian.check(
                chain: chain, task: .codeGeneration, promptTokens: 100, spending: spent)
        else {
            Issue.record("expected the route cap to be exceeded")
            return
        }
        #expect(b.scope == "route:code_generation" && b.capUSD == 0.01)
        #expect(abs(b.estimateUSD - 0.1) < 1e-9)
    }

    @Test func aFreeModelAlwaysFitsAndZeroMeansNoCap() throws {
        let config = try ConfigLoader.load(
            text: Self.config("daily_usd = 0\nper_turn_usd = 0.0001"), file: "t.toml", environment: [:]
        ).config
        #expect(config.budget.dailyUSD == nil)
        let guardian = BudgetGuard(config: config)
        let free = [ModelRef(provider: "fake", model: "unpriced-local")]
        let spent = BudgetGuard.Spending(turn: 5)
        #expect(guardian.check(chain: free, task: .simpleQuery, promptTokens: 10_000, spending: spent) == .proceed)
    }

    @Test func budgetKeysAreCheckedWithTheirLine() {
        #expect(throws: ConfigError.self) {
            try ConfigLoader.load(text: "[budget]\ndaily_usd = -1\n", file: "t.toml", environment: [:])
        }
        #expect(throws: ConfigError.self) {
            try ConfigLoader.load(text: "[budget]\non_exceed = \"panic\"\n", file: "t.toml", environment: [:])
        }
        #expect(throws: ConfigError.self) {
            try ConfigLoader.load(text: "[telemetry]\notlp_endpoint = \"ftp://x\"\n", file: "t.toml", environment: [:])
        }
    }

    @Test func budgetReportShowsTodayTheSessionAndEachRouteAgainstTheirCaps() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.reply(text: "x")])
        let nexus = try InProcessNexus(
            config: Self.config("daily_usd = 2\nsession_usd = 1\n[budget.routes]\ncode_generation = 0.5"),
            providers: [fake])
        let (_, events) = await nexus.run("/budget")
        let text = events.compactMap { if case .commandOutput(_, let t) = $0.kind { t } else { nil } }.joined()
        #expect(text.contains("today (UTC)") && text.contains("of $2.00"))
        #expect(text.contains("session \(nexus.orchestrator.sessionID)") && text.contains("of $1.00"))
        #expect(text.contains("code_generation today") && text.contains("of $0.50"))
        #expect(text.contains("over a cap: downgrade"))
        await nexus.close()
    }
}
