import NexusCore
import NexusOrchestrator
import Testing

@testable import NexusTUI

/// Issue 16 item 4 in the panes: a change made while the TUI runs (`/model`, the admin API) is drawn from the
/// event that announces it, without waiting for the next status snapshot.
@Suite struct LiveChangePaneTests {
    func modelRow(_ ui: inout UIState, width: Int = 160, height: Int = 48) -> String {
        FrameComposer.compose(&ui, width: width, height: height).grid.lines.first { $0.contains("[model selector") }
            ?? ""
    }

    @Test func aRouteChangeShowsAtTheModelSelectorUntilTheNextCallSelects() {
        var ui = UIState()
        ui.apply(Event(turnID: 1, kind: .turnStarted(input: "hi")))
        ui.apply(Event(turnID: 1, kind: .route(taskType: "simple_query", tier: "standard", reason: "short")))
        ui.apply(Event(turnID: 1, kind: .modelSelected(model: "fake:small", chain: [])))
        ui.apply(Event(turnID: 1, kind: .turnFinished(outcome: "ok", latencyMs: 5)))
        #expect(modelRow(&ui).contains("fake:small"))

        ui.apply(Event(turnID: 0, kind: .routeChanged(taskType: "simple_query", chain: ["fake:large"], by: "x")))
        #expect(modelRow(&ui).contains("fake:large (next)"))
        // The task on screen wins over a change to another published after it (a follower of its route).
        ui.apply(Event(turnID: 0, kind: .routeChanged(taskType: "classification", chain: ["fake:large"], by: "x")))
        #expect(modelRow(&ui).contains("fake:large (next)") && !modelRow(&ui).contains("classification"))
        // Before a turn, or with none pending for the task on screen, another task type's change shows, named.
        var fresh = UIState()
        fresh.apply(Event(turnID: 0, kind: .routeChanged(taskType: "code_generation", chain: ["fake:code"], by: "x")))
        #expect(modelRow(&fresh).contains("code_generation → fake:code (next)"))
        ui = fresh
        // The compact layout's strip shows it too.
        let strip = FrameComposer.compose(&ui, width: 80, height: 24).grid.lines[0]
        #expect(strip.contains("fake:code (next)"), "\(strip)")

        ui.apply(Event(turnID: 2, kind: .turnStarted(input: "again")))
        ui.apply(Event(turnID: 2, kind: .route(taskType: "code_generation", tier: "standard", reason: "code")))
        ui.apply(Event(turnID: 2, kind: .modelSelected(model: "fake:large", chain: [])))
        let row = modelRow(&ui)
        #expect(row.contains("fake:large") && !row.contains("(next)"), "\(row)")
    }

    @Test func aModuleEnabledAgainLeavesDisabledAtOnce() throws {
        var ui = UIState()
        var s = StatusSnapshot()
        s.modules = [.init(name: "echo", health: .healthy, calls: 0, errorRate: 0, p50LatencyMs: nil, lastError: nil)]
        ui.update(from: s)
        ui.apply(Event(turnID: 0, kind: .moduleState(module: "echo", state: "disabled")))
        ui.apply(Event(turnID: 0, kind: .moduleHealth(module: "echo", health: .disabled, reason: "disabled")))
        var lines = FrameComposer.compose(&ui, width: 160, height: 48).grid.lines
        #expect(lines.contains { $0.contains("○ echo") })
        #expect(!lines.contains { $0.contains("└ disabled") }, "the glyph says it; no error line repeats it")

        ui.apply(Event(turnID: 0, kind: .moduleState(module: "echo", state: "enabled")))
        lines = FrameComposer.compose(&ui, width: 160, height: 48).grid.lines
        let row = try #require(lines.first { $0.contains(" echo ") && $0.contains("│") && !$0.contains("modules (") })
        #expect(row.contains("? echo") && !row.contains("disabled"), "\(row)")
    }
}
