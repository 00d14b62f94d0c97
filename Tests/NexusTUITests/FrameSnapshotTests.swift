import NexusCore
import NexusOrchestrator
import NexusTesting
import Testing

@testable import NexusTUI

/// TUI frames as text, at 80x24 (the compact layout: one pane under the pipeline strip) and 160x48 (every
/// pane), kept in testdata/snapshots/tui/. Each is composed in process from the TUI's own model with fixed
/// events and snapshots — no clock, no path, no terminal — so a change to any pane shows in review.
/// Re-record: `NEXUS_RECORD_SNAPSHOTS=1 swift test --filter Snapshot`.
@Suite struct FrameSnapshots {
    static let snapshots = TextSnapshots("tui")
    static let sizes = [(80, 24), (160, 48)]

    /// The frame's text, each row without its trailing blanks.
    static func text(_ state: UIState, width: Int, height: Int) -> String {
        var ui = state
        let frame = FrameComposer.compose(&ui, width: width, height: height, nowNs: 0)
        return frame.grid.lines.map { line in
            var l = Substring(line)
            while l.last == " " { l = l.dropLast() }
            return String(l)
        }.joined(separator: "\n")
    }

    @Test(arguments: FrameFixture.allCases)
    func frameMatchesItsSnapshot(_ fixture: FrameFixture) {
        for (w, h) in Self.sizes {
            let name = "\(fixture.rawValue)-\(w)x\(h)"
            if let problem = Self.snapshots.mismatch(Self.text(fixture.state, width: w, height: h), named: name) {
                Issue.record("\(name): \(problem)")
            }
        }
    }

    @Test func framesAreTheSameEachTimeTheyAreDrawn() {
        for fixture in FrameFixture.allCases {
            let first = Self.text(fixture.state, width: 160, height: 48)
            #expect(first == Self.text(fixture.state, width: 160, height: 48), "\(fixture)")
        }
    }

    @Test func everyFrameSnapshotBelongsToAFixture() {
        guard !TextSnapshots.isRecording else { return }
        let expected = Set(FrameFixture.allCases.flatMap { f in Self.sizes.map { "\(f.rawValue)-\($0.0)x\($0.1)" } })
        #expect(Set(Self.snapshots.storedNames()) == expected)
    }
}

/// The screens the snapshots show, built the way the TUI builds them: status snapshots through `update`,
/// bus events through `apply`, a sent line through `echo`.
enum FrameFixture: String, CaseIterable, Sendable {
    case emptyStart = "empty-start"
    case turnWithToolCall = "turn-with-tool-call"
    case failingModule = "module-health-failing"
    case buildProof = "build-proof"

    var state: UIState {
        var ui = UIState()
        ui.chat.add(ChatBlock(kind: .notice, text: TUIApp.welcome))
        ui.update(from: Self.status(modules: self == .failingModule))
        switch self {
        case .emptyStart: break
        case .turnWithToolCall: Self.toolTurn(&ui)
        case .failingModule:
            Self.toolTurn(&ui)
            ui.apply(Event(turnID: 1, kind: .moduleHealth(module: "weather", health: .failing, reason: "3 errors")))
            ui.focus = .modules
        case .buildProof: Self.build(&ui)
        }
        return ui
    }

    static func status(modules: Bool) -> StatusSnapshot {
        var s = StatusSnapshot()
        s.providers = [
            .init(name: "local", kind: "openai", isLocal: true, reachable: true),
            .init(name: "anthropic", kind: "anthropic", isLocal: false, reachable: false),
        ]
        s.sandboxTier = "A"
        s.allTimeByProvider = [.init(key: "local", tokensIn: 48_210, tokensOut: 9_734, costUSD: 0)]
        s.allTimeByTask = [.init(key: "simple_query", tokensIn: 48_210, tokensOut: 9_734, costUSD: 0)]
        if modules {
            s.modules = [
                .init(name: "time", health: .healthy, calls: 12, errorRate: 0, p50LatencyMs: 38, lastError: nil),
                .init(
                    name: "weather", health: .failing, calls: 5, errorRate: 0.6, p50LatencyMs: 912,
                    lastError: "api.openweathermap.org: connection refused (circuit open)"),
                .init(name: "git", health: .disabled, calls: 0, errorRate: 0, p50LatencyMs: nil, lastError: nil),
                .init(
                    name: "quotes", health: .degraded, calls: 2, errorRate: 0.5, p50LatencyMs: 120,
                    lastError: "live test failed: 401 Unauthorized"),
            ]
        }
        return s
    }

    /// "What time is it in Tokyo?": routed, one tool call to the time module, the answer streamed.
    static func toolTurn(_ ui: inout UIState) {
        ui.echo("What time is it in Tokyo?")
        let call = ToolCall(
            id: "c1", name: "time__get_current_time",
            arguments: .object(JSONObject([("timezone", .string("Asia/Tokyo"))])))
        let usage = LLMCallRecord(
            taskType: "simple_query", provider: "local", model: "qwen2.5-7b", tier: "standard", tokensIn: 812,
            tokensOut: 41, latencyMs: 640, costUSD: 0, outcome: "ok", isLocal: true)
        let events: [EventKind] = [
            .turnStarted(input: "What time is it in Tokyo?"),
            .nodeEntered(.input), .nodeLeft(.input, latencyMs: 0.1, detail: "25 chars"),
            .nodeEntered(.classifier), .nodeLeft(.classifier, latencyMs: 0.4, detail: "simple_query"),
            .nodeEntered(.tierRouter), .nodeLeft(.tierRouter, latencyMs: 0.1, detail: "standard"),
            .route(taskType: "simple_query", tier: "standard", reason: "keywords: time"),
            .nodeEntered(.modelSelector), .modelSelected(model: "local:qwen2.5-7b", chain: []),
            .nodeLeft(.modelSelector, latencyMs: 0.2, detail: "local:qwen2.5-7b"),
            .nodeEntered(.toolPicker), .nodeLeft(.toolPicker, latencyMs: 1.3, detail: "4 tools"),
            .nodeEntered(.executor), .llmCall(usage), .toolCall(call, module: "time"),
            .toolResult(
                ToolResult(
                    callID: "c1", name: "time__get_current_time",
                    content: #"{"timezone": "Asia/Tokyo", "datetime": "2026-12-06T16:04:05+09:00"}"#),
                latencyMs: 38),
            .token("It is 16:04 in Tokyo "), .token("(Sunday, 6 December)."), .llmCall(usage),
            .nodeLeft(.executor, latencyMs: 1_391, detail: nil),
            .nodeEntered(.synthesis), .final(text: "It is 16:04 in Tokyo (Sunday, 6 December)."),
            .nodeLeft(.synthesis, latencyMs: 0.1, detail: nil), .turnFinished(outcome: "ok", latencyMs: 1_402),
        ]
        for e in events { ui.apply(Event(turnID: 1, kind: e)) }
    }

    /// `/build` of a quotes module, stopped at the install approval with its proof over the panes.
    static func build(_ ui: inout UIState) {
        let line = "/build a module for quotes.example.com's quote of the day --name quotes"
        ui.echo(line)
        let events: [EventKind] = [
            .turnStarted(input: line),
            .nodeEntered(.plan), .nodeLeft(.plan, latencyMs: 3.2, detail: "template 3"),
            .nodeEntered(.generate), .nodeLeft(.generate, latencyMs: 41_200, detail: nil),
            .nodeEntered(.validate), .nodeLeft(.validate, latencyMs: 6_480, detail: "tests failed"),
            .nodeEntered(.repair), .nodeLeft(.repair, latencyMs: 22_950, detail: "1/3"),
            .nodeEntered(.validate), .nodeLeft(.validate, latencyMs: 6_120, detail: "passed"),
            .nodeEntered(.proof), .nodeLeft(.proof, latencyMs: 14, detail: "sha256 5f0c9a2e41b7…"),
            .nodeEntered(.approval),
        ]
        for e in events { ui.apply(Event(turnID: 1, kind: e)) }
        let request = ApprovalRequest(
            id: "install-quotes-5f0c9a2e", kind: .moduleInstall,
            title: "Install module quotes, built and proven by NEXUS?",
            details: [
                .init("name", "quotes 1.0.0 (data)"),
                .init("network", "quotes.example.com:443"),
                .init("sha256", "5f0c9a2e41b7d3c8a9e0f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6"),
                .init("build", "a1b2c3d4 (template 3) at ~/.nexus/builds/a1b2c3d4"),
                .init("file adapter.py", "2841 bytes"),
                .init("file manifest.json", "612 bytes"),
                .init("file test_adapter.py", "3307 bytes"),
                .init("check protocol", "pass in 1.2s"),
                .init("check tests", "pass in 2.9s"),
                .init("tests", "9/9 passed"),
                .init("mutation", "7/8 mutants killed (0.88)"),
                .init("model (generate)", "local:qwen2.5-coder-32b"),
                .init("model (repair)", "local:qwen2.5-coder-32b"),
                .init("build cost", "18204 tokens in, 6120 out, $0.0000"),
            ])
        let files = [("adapter.py", "from nexus_adapter import Adapter\n\n\nclass Quotes(Adapter):\n    ...\n")]
        ui.pendingApproval = request
        ui.proof = ProofOverlay(request: request, files: files, diff: "")
        ui.showApproval(request, turn: 1)
    }
}
