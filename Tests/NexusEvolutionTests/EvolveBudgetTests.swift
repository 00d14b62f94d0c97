import NexusCore
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
