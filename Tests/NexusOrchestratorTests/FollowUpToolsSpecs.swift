import NexusCore
import NexusTesting
import Testing

/// Session continuity through a whole session: fake MCP modules over the real module host, more tools than the
/// budget, and a second turn that does not match the tool the first turn called. The tools offered to the model at
/// the second turn keep the one the conversation is using (`RecentTools`, a third of `max_tools_per_turn`).
@Suite(.serialized) struct FollowUpToolsSpecs {
    static func module(_ name: String, _ tools: [(String, String)], answer: FakeMCPTool.Answer) -> FakeMCPModule {
        FakeMCPModule(
            name: name,
            script: FakeMCPScript(tools: tools.map { FakeMCPTool(name: $0.0, description: $0.1, answer: answer) }))
    }

    /// A chat module (its channel history answering `history`) and a weather module: four tools, a budget of three.
    static func installChatAndWeather(into nexus: InProcessNexus, history: FakeMCPTool.Answer) async throws {
        try await nexus.install(
            module(
                "chat",
                [
                    ("get_channel_history", "Read the recent messages of a chat channel."),
                    ("reply_to_thread", "Reply to a message in a chat thread."),
                ], answer: history))
        try await nexus.install(
            module(
                "weather",
                [
                    ("get_forecast", "Get the weather forecast for a city."),
                    ("get_alerts", "Get severe weather alerts for a region."),
                ], answer: .text("sunny")))
    }

    /// Turn 1 reads a chat channel (the model calls `chat__get_channel_history`, answering `history`); then one turn
    /// about the weather for each of `followUps`. Returns the module tools offered to the model at each follow-up.
    static func offered(history: FakeMCPTool.Answer, followUps: Int) async throws -> [[String]] {
        var steps: [ScriptedProvider.Step] = [
            .reply(text: "", toolCalls: [TurnLoopSpecs.call("chat__get_channel_history", ["channel": "releases"])]),
            .reply(text: "Ana says the release shipped."),
        ]
        steps += [ScriptedProvider.Step](repeating: .reply(text: "Sunny."), count: followUps)
        let fake = ScriptedProvider(name: "fake", steps: steps)
        let nexus = try InProcessNexus(
            config: TurnLoopSpecs.config(extra: "[modules]\nmax_tools_per_turn = 3"),
            providers: [fake], launcher: PassThroughLauncher(mode: .inProcess))
        try await installChatAndWeather(into: nexus, history: history)
        _ = await nexus.run("what did ana say in the releases channel")
        let first = fake.requests.first?.tools.map(\.name) ?? []
        #expect(first.contains("chat__get_channel_history"), "turn 1 matched the channel history: \(first)")
        var out: [[String]] = []
        for _ in 0..<followUps {
            let before = fake.requests.count
            _ = await nexus.run("what is the weather forecast for lisbon")
            #expect(fake.requests.count == before + 1)
            out.append((fake.requests.last?.tools.map(\.name) ?? []).filter { $0.contains("__") })
        }
        await nexus.close()
        return out
    }

    /// Turn 1 names nothing the picker can match; the model finds the channel history with `search_tools` and calls
    /// it. Turn 2 is about the weather: the tool found and called is still offered.
    @Test func aToolSearchToolsFoundAndTheModelCalledIsKeptToo() async throws {
        let fake = ScriptedProvider(
            name: "fake",
            steps: [
                .reply(text: "", toolCalls: [TurnLoopSpecs.call("search_tools", ["query": "read channel messages"])]),
                .reply(
                    text: "",
                    toolCalls: [TurnLoopSpecs.call("chat__get_channel_history", ["channel": "releases"], id: "c2")]),
                .reply(text: "Ana says the release shipped."),
                .reply(text: "Sunny."),
            ])
        let nexus = try InProcessNexus(
            config: TurnLoopSpecs.config(extra: "[modules]\nmax_tools_per_turn = 3"),
            providers: [fake], launcher: PassThroughLauncher(mode: .inProcess))
        try await Self.installChatAndWeather(into: nexus, history: .text("ana: shipped"))
        _ = await nexus.run("so what did ana think")
        let first = fake.requests.first?.tools.map(\.name) ?? []
        #expect(!first.contains("chat__get_channel_history"), "turn 1 did not offer it: \(first)")
        _ = await nexus.run("what is the weather forecast for lisbon")
        await nexus.close()
        #expect(fake.requests.count == 4)
        let second = (fake.requests.last?.tools.map(\.name) ?? []).filter { $0.contains("__") }
        #expect(second.contains("chat__get_channel_history"), "\(second)")
    }

    @Test func theSecondTurnIsOfferedTheToolTheFirstTurnCalled() async throws {
        let offered = try await Self.offered(history: .text("ana: shipped"), followUps: 1)
        #expect(offered.first?.contains("chat__get_channel_history") == true, "\(offered)")
        #expect(offered.first?.first == "weather__get_forecast", "the turn's own pick leads: \(offered)")
        #expect(offered.first?.contains("chat__reply_to_thread") == false, "only the called tool is kept: \(offered)")
    }

    @Test func aCallThatFailedIsNotKept() async throws {
        let offered = try await Self.offered(history: .toolError("channel not found"), followUps: 1)
        #expect(offered.first?.contains("chat__get_channel_history") == false, "\(offered)")
    }

    @Test func theCalledToolIsForgottenAfterThreeTurnsWithoutUse() async throws {
        let offered = try await Self.offered(history: .text("ana: shipped"), followUps: 4)
        #expect(offered.map { $0.contains("chat__get_channel_history") } == [true, true, true, false], "\(offered)")
    }
}
