import NexusCore
import NexusOrchestrator
import NexusTesting
import Testing

/// Issue 16 item 4: `/model` and the admin API's `PUT /v1/routing` are one call, `Orchestrator.setRoute`, and
/// every route change is published as `route_changed` so a running face shows it at once.
@Suite struct RouteChangeSpecs {
    func changes(_ events: [Event]) -> [(task: String, chain: [String], by: String)] {
        events.compactMap { e in
            if case .routeChanged(let t, let c, let by) = e.kind { (t, c, by) } else { nil }
        }
    }

    @Test func slashModelAndTheAdminCallPublishTheSameRouteChange() async throws {
        let nexus = try InProcessNexus(config: TurnLoopSpecs.config(), providers: [ScriptedProvider(name: "fake")])
        let typed = changes(await nexus.run("/model simple_query backup:m2").events)
        // The task named comes last; before it, the task types that follow simple_query for want of their own.
        let named = try #require(typed.last)
        #expect(named.task == "simple_query" && named.chain == ["backup:m2"] && named.by == "/model")
        #expect(typed.allSatisfy { $0.chain == ["backup:m2"] })
        #expect(!typed.contains { $0.task == "code_generation" }, "a task with its own route did not change")

        // What PUT /v1/routing calls: the same function, naming who asked.
        let text = try await nexus.orchestrator.setRoute(
            TaskType("simple_query"), [ModelRef(provider: "fake", model: "m3")], announce: "the admin API")
        #expect(text.contains("fake:m3"))
        let (_, events) = await nexus.run("/model")
        let api = changes(events)
        #expect(api.last?.task == "simple_query" && api.count == typed.count)
        #expect(api.allSatisfy { $0.chain == ["fake:m3"] && $0.by == "the admin API" })
        let notices = events.compactMap { e -> String? in if case .notice(let n) = e.kind { n } else { nil } }
        #expect(notices.contains { $0.contains("routing set by the admin API") })
        let entry = await nexus.orchestrator.routeEntries().first { $0.taskType == "simple_query" }
        #expect(entry?.chain == ["fake:m3"] && entry?.source == "override")

        // A reset announces the chain the task follows again.
        let reset = changes(await nexus.run("/model --reset simple_query").events)
        #expect(reset.last?.task == "simple_query" && reset.count == typed.count)
        #expect(reset.allSatisfy { $0.chain == ["fake:m1"] && $0.by == "/model --reset" })
        await nexus.close()
    }

    @Test func aReloadedNexusTomlAnnouncesEachRouteItChanges() async throws {
        let nexus = try InProcessNexus(config: TurnLoopSpecs.config(), providers: [ScriptedProvider(name: "fake")])
        let changed = TurnLoopSpecs.config().replacingFirst(
            "simple_query = \"fake:m1\"", with: "simple_query = \"backup:m9\"")
        let fresh = try ConfigLoader.load(text: changed, file: "nexus.toml", environment: [:]).config
        let (applied, _) = try await nexus.orchestrator.reconfigure(fresh, announce: "the admin API")
        #expect(applied == ["routing"])
        let reloaded = changes(await nexus.run("/model").events)
        // simple_query, and the task types that follow it for want of a route of their own; not the others.
        let tasks = Set(reloaded.map(\.task))
        #expect(tasks.contains("simple_query") && !tasks.contains("code_generation"), "\(tasks)")
        #expect(!tasks.contains("complex_reasoning"))
        #expect(reloaded.allSatisfy { $0.chain == ["backup:m9"] && $0.by == "the admin API" })
        await nexus.close()
    }

    @Test func aRefusedRouteChangesNothingAndAnnouncesNothing() async throws {
        let nexus = try InProcessNexus(config: TurnLoopSpecs.config(), providers: [ScriptedProvider(name: "fake")])
        let (_, events) = await nexus.run("/model simple_query ghost:m")
        #expect(changes(events).isEmpty)
        let entry = await nexus.orchestrator.routeEntries().first { $0.taskType == "simple_query" }
        #expect(entry?.chain == ["fake:m1"])
        await nexus.close()
    }
}
