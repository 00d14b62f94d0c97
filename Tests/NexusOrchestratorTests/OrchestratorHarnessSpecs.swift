import NexusCore
import NexusTesting
import Testing

/// The orchestrator's specifications written once and run twice: in memory (`InProcessNexus`, scripted
/// providers, the fake MCP server in process, the in-memory vault, the pass-through launcher) and live
/// (the built `nexus -p --json` against fake provider servers and `nexus-fake-mcp` children). A behaviour
/// that holds one way and not the other is a bug in a fake or in the wiring, and shows up here.
@Suite(.serialized) struct OrchestratorHarnessSpecs {
    static let weather = FakeMCPModule(
        name: "weather",
        script: FakeMCPScript(tools: [
            FakeMCPTool(name: "forecast", description: "Tomorrow's weather", answer: .echo(argument: "city")),
            FakeMCPTool(name: "boom", description: "Crashes", answer: .crash(status: 3)),
            FakeMCPTool(name: "stuck", description: "Never answers", answer: .hang),
            FakeMCPTool(name: "delete_cache", description: "Deletes the cache", answer: .text("cache deleted")),
            FakeMCPTool(name: "whoami", description: "Says which key it holds", answer: .environment("WEATHER_KEY")),
        ]),
        sensitiveTools: ["delete_*"], credentials: [.init(name: "api_key", env: "WEATHER_KEY")])

    static let canary = "sk-canary-7Hq2Zp94LxVw"

    static func start(_ mode: NexusTestHarness.Mode, _ setup: NexusTestHarness.Setup) async throws -> NexusTestHarness {
        if mode == .binary {
            try #require(BuiltProducts.isBuilt(BuiltProducts.nexus), "build nexus first (swift build)")
            try #require(BuiltProducts.isBuilt(BuiltProducts.fakeMCP), "build nexus-fake-mcp first (swift build)")
        }
        return try await NexusTestHarness.start(mode, setup)
    }

    static func setup(approve: Bool = false, providers: [String] = ["fake"]) -> NexusTestHarness.Setup {
        .init(
            providers: providers, modules: [weather],
            secrets: [.init(module: "weather", name: "api_key", value: canary)], approve: approve)
    }

    @Test(arguments: NexusTestHarness.Mode.allCases)
    func aToolCallThroughAModuleReturnsItsResultToTheModelAndIsRecorded(mode: NexusTestHarness.Mode) async throws {
        let nexus = try await Self.start(mode, Self.setup())
        nexus.script(
            "fake", .toolCall(name: "weather__forecast", arguments: ["city": "Paris"]), .text("Rain in Paris."))
        let turn = try await nexus.run("weather in Paris?")
        #expect(turn.outcome == "ok" && turn.exitStatus == 0, "\(turn.types)")
        #expect(turn.finalText == "Rain in Paris.")
        #expect(turn.toolsOffered["fake"]?.first?.contains("weather__forecast") == true, "module tools are namespaced")
        let result = try #require(turn.events("tool_result").first)
        #expect(result["name"]?.stringValue == "weather__forecast")
        #expect(result["content"]?.stringValue == "Paris" && result["is_error"]?.boolValue == false)
        #expect(turn.toolMessagesSeenByModel() == ["Paris"], "the module's answer went back to the model")
        #expect(turn.ledger["fake"] == 2, "both model calls are in the ledger: \(turn.ledger)")
        #expect(turn.moduleCalls.contains(.init(module: "weather", tool: "forecast", outcome: "ok")))
        await nexus.close()
    }

    @Test(arguments: NexusTestHarness.Mode.allCases)
    func aModuleThatCrashesMidCallIsReportedToTheModelAndTheTurnGoesOn(mode: NexusTestHarness.Mode) async throws {
        let nexus = try await Self.start(mode, Self.setup())
        nexus.script("fake", .toolCall(name: "weather__boom", arguments: [:]), .text("The weather module failed."))
        let turn = try await nexus.run("try the module")
        #expect(turn.outcome == "ok" && turn.exitStatus == 0, "\(turn.types)")
        let result = try #require(turn.events("tool_result").first)
        #expect(result["is_error"]?.boolValue == true)
        let said = result["content"]?.stringValue ?? ""
        #expect(
            said.contains("module weather") && said.contains("exit status 3"), "the error says who and how: \(said)")
        // On the wire a tool error is marked for the model ("ERROR: ..."); the message itself is the same.
        #expect(turn.toolMessagesSeenByModel().first?.hasSuffix(said) == true, "the model hears the same error")
        #expect(turn.finalText == "The weather module failed.")
        #expect(turn.moduleCalls.last?.outcome == "error")
        await nexus.close()
    }

    @Test(arguments: NexusTestHarness.Mode.allCases, [true, false])
    func aSensitiveToolRunsOnlyWhenThePersonApproves(mode: NexusTestHarness.Mode, approve: Bool) async throws {
        let nexus = try await Self.start(mode, Self.setup(approve: approve))
        nexus.script("fake", .toolCall(name: "weather__delete_cache", arguments: [:]), .text("Done."))
        let turn = try await nexus.run("clear the weather cache")
        let asked = try #require(turn.events("approval_required").first, "\(turn.types)")
        #expect(asked["title"]?.stringValue?.contains("delete_cache") == true)
        #expect(turn.events("approval").first?["decision"]?.stringValue == (approve ? "yes" : "no"))
        let result = try #require(turn.events("tool_result").first)
        if approve {
            #expect(turn.outcome == "ok" && turn.exitStatus == 0)
            #expect(result["content"]?.stringValue == "cache deleted")
            #expect(turn.moduleCalls.last == .init(module: "weather", tool: "delete_cache", outcome: "ok"))
        } else {
            #expect(turn.outcome == "approval_denied" && turn.exitStatus == 3)
            #expect(result["is_error"]?.boolValue == true)
            #expect(turn.moduleCalls.last == .init(module: "weather", tool: "delete_cache", outcome: "rejected"))
        }
        await nexus.close()
    }

    @Test(arguments: NexusTestHarness.Mode.allCases)
    func aSecretAModulePrintsNeverReachesTheModelOrTheEvents(mode: NexusTestHarness.Mode) async throws {
        let nexus = try await Self.start(mode, Self.setup())
        nexus.script("fake", .toolCall(name: "weather__whoami", arguments: [:]), .text("It has a key."))
        let turn = try await nexus.run("which key does the weather module use?")
        #expect(turn.outcome == "ok", "\(turn.types)")
        let seen = turn.toolMessagesSeenByModel()
        #expect(seen == ["«redacted:weather/api_key»"], "the module got the key, the model only its label: \(seen)")
        let everything = turn.events.map(\.serialized).joined() + "\(turn.modelRequests)"
        #expect(!everything.contains(Self.canary))
        await nexus.close()
    }

    @Test(arguments: NexusTestHarness.Mode.allCases)
    func aFailingProviderFallsBackToTheNextOnEveryCallAndTheLedgerHasEachAttempt(mode: NexusTestHarness.Mode)
        async throws
    {
        let nexus = try await Self.start(mode, Self.setup(providers: ["fake", "backup"]))
        // Each model call of the turn walks the chain from the top: the first provider fails both times.
        nexus.script("fake", .fail(status: 503), .fail(status: 503))
        nexus.script("backup", .toolCall(name: "weather__forecast", arguments: ["city": "Oslo"]), .text("Snow."))
        let turn = try await nexus.run("weather in Oslo?")
        #expect(turn.outcome == "ok" && turn.exitStatus == 0, "\(turn.types)")
        let fallbacks = turn.events("fallback")
        #expect(fallbacks.count == 2)
        #expect(fallbacks.allSatisfy { $0["from"]?.stringValue?.contains("fake") == true })
        #expect(fallbacks.allSatisfy { $0["to"]?.stringValue?.contains("backup") == true })
        #expect(turn.finalText == "Snow.")
        #expect(turn.toolMessagesSeenByModel("backup") == ["Oslo"])
        let outcomes = turn.events("usage").map {
            "\($0["provider"]?.stringValue ?? ""):\($0["outcome"]?.stringValue ?? "")"
        }
        #expect(outcomes == ["fake:fallback", "backup:ok", "fake:fallback", "backup:ok"])
        #expect(turn.ledger == ["fake": 2, "backup": 2], "every attempt is in the ledger")
        await nexus.close()
    }

    @Test(arguments: NexusTestHarness.Mode.allCases)
    func ctrlCDuringAModuleCallThatNeverAnswersCancelsTheTurn(mode: NexusTestHarness.Mode) async throws {
        let nexus = try await Self.start(mode, Self.setup())
        nexus.script("fake", .toolCall(name: "weather__stuck", arguments: [:]), .text("never asked for"))
        let clock = ContinuousClock()
        let began = clock.now
        let turn = try await nexus.run("call the stuck tool", cancel: .duringToolCall)
        #expect(clock.now - began < .seconds(20), "the hung call is not waited for")
        #expect(turn.outcome == "cancelled" && turn.exitStatus == 1, "\(turn.types)")
        #expect(turn.finalText == nil)
        #expect(turn.modelRequests["fake"]?.count == 1, "the model is not asked again after a cancel")
        await nexus.close()
    }

    @Test(arguments: NexusTestHarness.Mode.allCases)
    func aModuleWhoseCredentialIsNotStoredIsNotStartedAndTheUserIsToldWhatToSet(mode: NexusTestHarness.Mode)
        async throws
    {
        // The vault holds something (another credential), just not the one the module declares.
        let setup = NexusTestHarness.Setup(
            modules: [Self.weather], secrets: [.init(module: "weather", name: "unrelated", value: "unrelated-v4lue")])
        try await Self.expectNotStartedWithoutItsKey(mode, setup)
    }

    @Test(arguments: NexusTestHarness.Mode.allCases)
    func aModuleWhoseCredentialIsNotStoredIsNotStartedEvenWhileTheVaultIsEmpty(mode: NexusTestHarness.Mode)
        async throws
    {
        // Nothing was ever stored (a fresh home has no vault): the module still never starts without its key.
        try await Self.expectNotStartedWithoutItsKey(mode, NexusTestHarness.Setup(modules: [Self.weather]))
    }

    /// The weather module, whose `api_key` is not stored, is never run (its tools are never listed, no call
    /// reaches it) and its health names the `nexus creds set` command.
    static func expectNotStartedWithoutItsKey(_ mode: NexusTestHarness.Mode, _ setup: NexusTestHarness.Setup)
        async throws
    {
        let nexus = try await start(mode, setup)
        nexus.script("fake", .toolCall(name: "weather__whoami", arguments: [:]), .text("It needs a key."))
        let turn = try await nexus.run("which key does the weather module use?")
        #expect(turn.outcome == "ok", "\(turn.types)")
        #expect(turn.toolsOffered["fake"]?.first?.contains("weather__whoami") != true, "its tools were never listed")
        #expect(!turn.moduleCalls.contains { $0.outcome == "ok" }, "it never ran: \(turn.moduleCalls)")
        let health = turn.events("module_health").compactMap { $0["reason"]?.stringValue }
        #expect(
            health.contains { $0.contains("credential \"api_key\" (for WEATHER_KEY) is not in the vault") },
            "\(health)")
        #expect(health.contains { $0.contains("nexus creds set weather api_key") }, "the next step: \(health)")
        await nexus.close()
    }
}
