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
        #expect(typed.count == 1)
        let first = try #require(typed.first)
        #expect(first.task == "simple_query" && first.chain == ["backup:m2"] && first.by == "/model")

        // What PUT /v1/routing calls: the same function, naming who asked.
        let text = try await nexus.orchestrator.setRoute(
            TaskType("simple_query"), [ModelRef(provider: "fake", model: "m3")], announce: "the admin API")
        #expect(text.contains("fake:m3"))
        let (_, events) = await nexus.run("/model")
        let api = changes(events)
        #expect(api.count == 1 && api.first?.chain == ["fake:m3"] && api.first?.by == "the admin API")
        let notices = events.compactMap { e -> String? in if case .notice(let n) = e.kind { n } else { nil } }
        #expect(notices.contains { $0.contains("routing set by the admin API") })
        let entry = await nexus.orchestrator.routeEntries().first { $0.taskType == "simple_query" }
        #expect(entry?.chain == ["fake:m3"] && entry?.source == "override")

        // A reset announces the chain the task follows again.
        let reset = changes(await nexus.run("/model --reset simple_query").events)
        #expect(reset.count == 1 && reset.first?.chain == ["fake:m1"] && reset.first?.by == "/model --reset")
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
