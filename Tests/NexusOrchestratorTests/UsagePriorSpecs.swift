import NexusCore
import NexusTesting
import Testing

/// The usage prior through a whole session: two chat modules offer the same tool, the budget has room for one, and
/// the one offered to the model is the copy of the app the person has been calling (`[modules] usage_prior`).
@Suite(.serialized) struct UsagePriorSpecs {
    static func chat(_ name: String) -> FakeMCPModule {
        FakeMCPModule(
            name: name,
            script: FakeMCPScript(tools: [
                FakeMCPTool(name: "send_message", description: "Send a message to a channel.", answer: .text("sent"))
            ]))
    }

    /// Turn 1 names zeta_chat and the model calls its tool (a successful call, recorded by the module host); turn 2
    /// names no app. Returns the module tools offered to the model at turn 2.
    static func offeredAfterUsingZeta(usagePrior: Bool) async throws -> [String] {
        let fake = ScriptedProvider(
            name: "fake",
            steps: [
                .reply(text: "", toolCalls: [TurnLoopSpecs.call("zeta_chat__send_message", ["text": "lunch is here"])]),
                .reply(text: "Sent."),
                .reply(text: "Done."),
            ])
        let nexus = try InProcessNexus(
            config: TurnLoopSpecs.config(
                extra: "[modules]\nmax_tools_per_turn = 1\nusage_prior = \(usagePrior)"),
            providers: [fake], launcher: PassThroughLauncher(mode: .inProcess))
        try await nexus.install(chat("alpha_chat"))
        try await nexus.install(chat("zeta_chat"))
        _ = await nexus.run("post in zeta chat: lunch is here")
        let first = fake.requests.first?.tools.map(\.name) ?? []
        #expect(first.contains("zeta_chat__send_message"), "the turn named zeta chat: \(first)")
        _ = await nexus.run("tell the channel the deploy is done")
        await nexus.close()
        #expect(fake.requests.count == 3)
        return (fake.requests.last?.tools.map(\.name) ?? []).filter { $0.contains("__") }
    }

    @Test func aTurnOverTheBudgetOffersTheCopyOfTheAppThePersonUses() async throws {
        let offered = try await Self.offeredAfterUsingZeta(usagePrior: true)
        #expect(offered == ["zeta_chat__send_message"], "\(offered)")
    }

    @Test func withTheUsagePriorOffTheFirstLookAlikeIsOffered() async throws {
        let offered = try await Self.offeredAfterUsingZeta(usagePrior: false)
        #expect(offered == ["alpha_chat__send_message"], "\(offered)")
    }
}
