import NexusCore
import Synchronization
import Testing

@testable import NexusEvolution

/// The budget is checked before every model call of a round, not only between rounds: once what the run spent
/// (finished rounds plus this round's ledger rows) reaches it, the next call is refused and no model is asked.
@Suite struct EvolveBudgetTests {
    /// A real build model: the OpenAPI generator for the farm's api_key_header scenario (no network, no cost).
    static func generator() throws -> any BuildModel {
        try OpenAPIBuildModel(
            .init(spec: GateFixture.packageRoot + "/farm/api_key_header/openapi.yaml", noModel: true),
            name: "evolve_api_key_header")
    }

    @Test func underTheBudgetTheCallIsMade() async throws {
        let budget = EvolveBudget(limitUSD: 0.10)
        budget.add(0.04)
        let model = budget.guarding(try Self.generator(), current: { 0.05 })
        let reply = try await model.complete(stage: .generate, system: "", prompt: "")
        #expect(reply.text.contains("manifest.json"))
    }

    @Test func atTheBudgetTheNextCallIsRefusedWithWhatWasSpent() async throws {
        let budget = EvolveBudget(limitUSD: 0.10)
        budget.add(0.04)
        let model = budget.guarding(try Self.generator(), current: { 0.06 })
        await #expect {
            try await model.complete(stage: .repair, system: "", prompt: "")
        } throws: { e in
            (e as? EvolveBudgetReached)?.userMessage == "evolve: the budget is reached ($0.1000 of $0.10)"
        }
        #expect(budget.reached == false, "the finished rounds alone are under it")
        budget.add(0.06)
        #expect(budget.reached)
    }
}

/// The round's ledger is written by an event-bus subscriber, so a call's row can land after its reply: the budget
/// check waits for the rows of the calls it let through, or a call that crossed the budget would not count yet and a
/// hostile (fast, expensive) provider would be asked again.
@Suite struct EvolveBudgetLedgerLagTests {
    /// A ledger whose rows land `lag` after each call, as the bus subscriber writes them.
    final class LaggingLedger: Sendable {
        let rows = Mutex<(calls: Int, cost: Double)>((0, 0))
        func landLater(cost: Double, lag: Duration) {
            Task {
                try? await Task.sleep(for: lag)
                rows.withLock { $0 = ($0.calls + 1, $0.cost + cost) }
            }
        }
    }

    /// The real generator, each reply's $0.10 landing in the ledger 300 ms later.
    struct Priced: BuildModel {
        let inner: any BuildModel
        let ledger: LaggingLedger
        func complete(stage: BuildStage, system: String, prompt: String) async throws -> BuildModelReply {
            let reply = try await inner.complete(stage: stage, system: system, prompt: prompt)
            ledger.landLater(cost: 0.10, lag: .milliseconds(300))
            return reply
        }
    }

    @Test func theCheckWaitsForTheLedgerRowOfTheCallBeforeIt() async throws {
        let ledger = LaggingLedger()
        let budget = EvolveBudget(limitUSD: 0.10)
        let model = budget.guarding(
            Priced(inner: try EvolveBudgetTests.generator(), ledger: ledger),
            current: { ledger.rows.withLock { $0.cost } }, ledgerCalls: { ledger.rows.withLock { $0.calls } })
        _ = try await model.complete(stage: .generate, system: "", prompt: "")
        // The first call cost $0.10 (its row not yet written): the second is refused, not made.
        await #expect(throws: EvolveBudgetReached.self) {
            try await model.complete(stage: .repair, system: "", prompt: "")
        }
        #expect(ledger.rows.withLock { $0.calls } == 1)
    }
}
