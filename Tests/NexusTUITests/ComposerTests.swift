import NexusCore
import NexusOrchestrator
import Testing

@testable import NexusTUI

#if canImport(Glibc)
    import Glibc
#endif

func runningTurn() -> UIState {
    var ui = UIState()
    for e: EventKind in [
        .turnStarted(input: "hi"), .nodeEntered(.input), .nodeLeft(.input, latencyMs: 0.4, detail: nil),
        .nodeEntered(.classifier), .route(taskType: "code_generation", tier: "heavy", reason: "k"),
        .nodeLeft(.classifier, latencyMs: 12, detail: nil), .nodeEntered(.modelSelector),
        .modelSelected(model: "local:qwen", chain: []), .nodeLeft(.modelSelector, latencyMs: 0.3, detail: nil),
        .nodeEntered(.executor), .token("日本語の答え "), .token("with 😀 emoji"),
    ] {
        ui.apply(Event(turnID: 1, kind: e))
    }
    return ui
}

@Test func at160x48AllPanesShowWithTheActiveNodeHighlighted() {
    var ui = runningTurn()
    let f = FrameComposer.compose(&ui, width: 160, height: 48)
    let lines = f.grid.lines
    #expect(lines.count == 48)
    #expect(lines[0].contains("chat") && lines[0].contains("pipeline"))
    #expect(lines.contains { $0.contains("modules (0)") })
    #expect(lines.contains { $0.contains("tokens & cost") })
    let execRow = lines.firstIndex { $0.contains("[executor") }!
    let classRow = lines.firstIndex { $0.contains("[classifier") }!
    #expect(lines[execRow].contains("▶[executor"))
    #expect(lines[classRow].contains("12ms") && lines[classRow].contains("code_generation"))
    let col = Array(lines[execRow]).firstIndex(of: "[")!
    // Columns in the grid equal characters here only left of any wide character; the pane is on the right.
    let gridCol = (0..<160).first { f.grid[execRow, $0] == "[" }!
    #expect(f.grid.style(row: execRow, col: gridCol) == .nodeActive)
    #expect(f.grid.style(row: classRow, col: gridCol) == .nodeOK)
    _ = col
    #expect(lines.contains { $0.contains("日本語の答え with 😀 emoji") })
    #expect(f.cursor?.row == 46)
}

@Test func at80x24TheChatFillsTheScreenUnderTheStrip() {
    var ui = runningTurn()
    let f = FrameComposer.compose(&ui, width: 80, height: 24)
    let lines = f.grid.lines
    #expect(lines[0].contains("input›classify›tier›model›tools›exec›synth"))
    #expect(lines[0].contains("code_generation · local:qwen"))
    #expect(lines[1].hasPrefix("┌─ chat"))
    #expect(lines.contains { $0.contains("日本語の答え with 😀 emoji") })
    #expect(lines[23].contains("privacy: open"))
    #expect(!lines.joined().contains("tokens & cost"))
    for y in 0..<24 { #expect(DisplayWidth.of(lines[y]) == 80, "row \(y) is \(DisplayWidth.of(lines[y])) columns") }
}

@Test func wideTextWrapsInsideThePaneBorder() {
    var ui = UIState()
    ui.chat.add(ChatBlock(kind: .assistant, text: String(repeating: "中文", count: 40)))
    let f = FrameComposer.compose(&ui, width: 40, height: 12)
    for (y, line) in f.grid.lines.enumerated() where line.contains("中") {
        #expect(line.hasPrefix("│ "), "row \(y)")
        #expect(line.hasSuffix("│"), "row \(y)")
        #expect(DisplayWidth.of(line) == 40)
    }
}

@Test func theStatusLineShowsProvidersPrivacyAndSandbox() {
    var ui = UIState()
    var s = StatusSnapshot()
    s.providers = [
        .init(name: "local", kind: "openai", isLocal: true, reachable: true),
        .init(name: "cloud", kind: "anthropic", isLocal: false, reachable: false),
    ]
    s.privacy = .localOnly
    s.sandboxTier = "A"
    ui.update(from: s)
    let f = FrameComposer.compose(&ui, width: 120, height: 30)
    let status = f.grid.lines[29]
    #expect(status.contains("● local"))
    #expect(status.contains("✗ cloud"))
    #expect(status.contains("privacy: local-only"))
    #expect(status.contains("sandbox: A"))
    let x = (0..<120).first { f.grid[29, $0] == "✗" }!
    #expect(f.grid.style(row: 29, col: x) == .statusBad)
}

@Test func theModuleMatrixShowsHealthCallsErrorsLatencyAndLastError() {
    var ui = UIState()
    var s = StatusSnapshot()
    s.modules = [
        .init(name: "clashroyale", health: .failing, calls: 8, errorRate: 0.5, p50LatencyMs: 420, lastError: "HTTP 429")
    ]
    ui.update(from: s)
    let f = FrameComposer.compose(&ui, width: 160, height: 48)
    let at = f.grid.lines.firstIndex { $0.contains("clashroyale") }!
    let row = f.grid.lines[at]
    #expect(row.contains("✗ clashroyale"))
    #expect(row.contains("8"))
    #expect(row.contains("50%"))
    #expect(row.contains("420ms"))
    #expect(f.grid.lines[at + 1].contains("└ HTTP 429"))
}

/// In a side pane a last-error column had eight characters ("live tes", cut without a mark), and a module waiting for its
/// credential showed "module g". A last error now takes the line under its row, without the "module NAME: "
/// its row already says; when the pane is too short for that, it is cut at the edge with "…".
@Test func aModulesLastErrorIsReadableInTheMatrix() {
    var ui = UIState()
    var s = StatusSnapshot()
    let waiting = #"module github_issues: credential "token" (for GITHUB_TOKEN) is not stored"#
    s.modules = [
        .init(name: "github_issues", health: .unknown, calls: 0, errorRate: 0, p50LatencyMs: nil, lastError: waiting),
        .init(
            name: "quotes", health: .degraded, calls: 2, errorRate: 0.5, p50LatencyMs: 120,
            lastError: "live test failed: 401 Unauthorized"),
    ]
    ui.update(from: s)
    let tall = FrameComposer.compose(&ui, width: 160, height: 48).grid.lines
    let at = tall.firstIndex { $0.contains("? github_issues") }!
    #expect(tall[at + 1].contains(#"└ credential "token" (for GITHUB_TOKEN) is not stored"#), "\(tall[at + 1])")
    #expect(tall[at + 2].contains("quotes") && tall[at + 3].contains("└ live test failed: 401 Unauthorized"))
    var inline = 0
    var below = 0
    for height in 14...30 {
        let lines = FrameComposer.compose(&ui, width: 160, height: height).grid.lines
        guard let at = lines.firstIndex(where: { $0.contains("◐ quotes") }) else { continue }
        if lines.contains(where: { $0.contains("└ ") }) {
            below += 1
            #expect(lines[at + 1].contains("└ live test failed: 401 Unauthorized"), "h\(height): \(lines[at + 1])")
        } else {
            inline += 1
            #expect(lines[at].contains("live te…"), "h\(height): \(lines[at])")
        }
    }
    #expect(inline > 0 && below > 0, "short panes cut the error on its row; taller ones put it below")
}

@Test func aPendingApprovalPutsTheQuestionOnTheInputLine() {
    var ui = UIState()
    ui.pendingApproval = install()
    ui.showApproval(install(), turn: 1)
    let f = FrameComposer.compose(&ui, width: 100, height: 30)
    #expect(f.grid.lines[28].contains("approve install module weather? [y]es [n]o [a]lways"))
    #expect(f.grid.lines.contains { $0.contains("network") && $0.contains("api.open-meteo.com") })
    #expect(f.grid.lines.contains { $0.contains("sha256") && $0.contains("9f2c") })
}

@Test func aResizeKeepsTheConversation() {
    var ui = runningTurn()
    for i in 0..<30 { ui.chat.add(ChatBlock(kind: .notice, text: "note \(i)")) }
    _ = FrameComposer.compose(&ui, width: 160, height: 48)
    let small = FrameComposer.compose(&ui, width: 80, height: 24).grid.lines.joined(separator: "\n")
    let big = FrameComposer.compose(&ui, width: 160, height: 48).grid.lines.joined(separator: "\n")
    #expect(small.contains("note 29"))
    #expect(big.contains("note 29") && big.contains("note 10"))
    #expect(ui.chat.blocks.count == 31)
}

@Test func tinyTerminalsDoNotCrash() {
    var ui = runningTurn()
    ui.showHelp = true
    for (w, h) in [(1, 1), (2, 3), (10, 4), (20, 6), (0, 0), (99, 19), (100, 20)] {
        let f = FrameComposer.compose(&ui, width: w, height: h)
        #expect(f.grid.width == max(0, w))
    }
}

@Test func noColorMeansMonochromeAndTheTerminalDecidesOtherwise() {
    #expect(Theme.depth(colors: 256, mode: "auto", environment: ["NO_COLOR": "1"]) == .mono)
    #expect(Theme.depth(colors: 256, mode: "auto", environment: ["NO_COLOR": ""]) == .full)
    #expect(Theme.depth(colors: 256, mode: "never", environment: [:]) == .mono)
    #expect(Theme.depth(colors: 8, mode: "auto", environment: [:]) == .basic)
    #expect(Theme.depth(colors: 0, mode: "always", environment: [:]) == .mono)
    let mono = Theme(depth: .mono)
    for s in Style.allCases {
        #expect(mono.look(s).fg == -1 && mono.look(s).bg == -1)
    }
    // Without colour, the active node and failures still stand out.
    #expect(mono.look(.nodeActive).attrs.contains(.reverse))
    #expect(!mono.look(.failing).attrs.isEmpty)
    let basic = Theme(depth: .basic)
    for s in Style.allCases { #expect(basic.look(s).fg < 8 && basic.look(s).bg < 8) }
}

@Test func estimatedTokenCountsAreMarkedInTheCostPane() {
    var ui = runningTurn()
    ui.apply(
        Event(
            turnID: 1,
            kind: .llmCall(
                LLMCallRecord(
                    taskType: "simple_query", provider: "local", model: "smollm2", tier: "standard", tokensIn: 120,
                    tokensOut: 9, latencyMs: 5, costUSD: 0, outcome: "ok", isLocal: true, tokensEstimated: true))))
    let lines = FrameComposer.compose(&ui, width: 160, height: 48).grid.lines
    #expect(lines.contains { $0.contains("local") && $0.contains("~120") && $0.contains("~9") })
}
