import NexusCore
import NexusOrchestrator
import Testing

@testable import NexusTUI

/// Issue 16 in the TUI: each module's memory and CPU in the health matrix, spending by module in the cost
/// pane, and the budget on the status line.
@Suite struct ObservabilityPaneTests {
    @Test func theHealthMatrixShowsEachRunningModulesMemoryAndCPU() throws {
        var ui = UIState()
        var s = StatusSnapshot()
        s.modules = [
            .init(name: "weather", health: .healthy, calls: 3, errorRate: 0, p50LatencyMs: 12, lastError: nil),
            .init(name: "idle", health: .healthy, calls: 0, errorRate: 0, p50LatencyMs: nil, lastError: nil),
        ]
        ui.update(from: s)
        ui.apply(Event(turnID: 0, kind: .moduleResources(module: "weather", residentBytes: 41 << 20, cpuSeconds: 2.5)))
        // A module nexus does not list (a hostile name in an event) gets no row.
        ui.apply(Event(turnID: 0, kind: .moduleResources(module: "ghost", residentBytes: 1, cpuSeconds: 1)))
        let f = FrameComposer.compose(&ui, width: 160, height: 48)
        #expect(f.grid.lines.contains { $0.contains("mem") && $0.contains("cpu") })
        let row = try #require(f.grid.lines.first { $0.contains("● weather") })
        #expect(row.contains("41M") && row.contains("2.5s"))
        let idle = try #require(f.grid.lines.first { $0.contains("● idle") })
        #expect(!idle.contains("M "))
        #expect(!f.grid.lines.contains { $0.contains("ghost") })
        // A stopped module's reading goes.
        ui.apply(Event(turnID: 0, kind: .moduleState(module: "weather", state: "stopped")))
        let after = FrameComposer.compose(&ui, width: 160, height: 48)
        #expect(after.grid.lines.first { $0.contains("● weather") }?.contains("41M") == false)
    }

    @Test func theCostPaneChargesSpendingToModules() throws {
        var ui = UIState()
        let record = LLMCallRecord(
            taskType: "simple_query", provider: "cloud", model: "m", moduleContext: "weather", tier: "standard",
            tokensIn: 100, tokensOut: 10, latencyMs: 1, costUSD: 0.0123, outcome: "ok", isLocal: false)
        ui.apply(Event(turnID: 1, kind: .llmCall(record)))
        let f = FrameComposer.compose(&ui, width: 160, height: 48)
        let row = try #require(f.grid.lines.first { $0.contains("⌁ weather") })
        #expect(row.contains("$0.0123"))
    }

    @Test func theStatusLineShowsTheBudget() {
        var ui = UIState()
        var s = StatusSnapshot()
        s.budget = "$0.12/$1.00 today"
        ui.update(from: s)
        let f = FrameComposer.compose(&ui, width: 120, height: 30)
        #expect(f.grid.lines[29].contains("budget $0.12/$1.00 today"))
        ui.update(from: StatusSnapshot())
        #expect(!FrameComposer.compose(&ui, width: 120, height: 30).grid.lines[29].contains("budget"))
    }
}
