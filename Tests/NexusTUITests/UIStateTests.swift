import NexusCore
import NexusOrchestrator
import Testing

@testable import NexusTUI

func noCompletions(_ prefix: String) -> [Completion] { [] }

func install(_ id: String = "a1") -> ApprovalRequest {
    ApprovalRequest(
        id: id, kind: .moduleInstall, title: "install module weather",
        details: [.init("name", "weather"), .init("network", "api.open-meteo.com"), .init("sha256", "9f2c")])
}

@Test func anApprovalTakesOnlyYNOrA() {
    var ui = UIState()
    ui.pendingApproval = install()
    ui.showApproval(install(), turn: 1)
    for k: Key in [.char("x"), .enter, .char("?"), .ctrl("d"), .tab] {
        #expect(ui.handle(k, completions: noCompletions).isEmpty)
        #expect(ui.pendingApproval != nil)
    }
    #expect(ui.flash?.contains("y (yes)") == true)
    #expect(ui.handle(.char("a"), completions: noCompletions) == [.answerApproval(id: "a1", .always)])
    #expect(ui.pendingApproval == nil)
    #expect(ui.chat.blocks.last?.text.hasSuffix("→ approved for this session: exactly this request") == true)
}

/// Issue 12 item 10: "always" says what it covers; "any arguments" is a separate key, offered only for a
/// tool call; a long detail is shortened with its length, and `v` shows it whole.
@Test func anApprovalNamesTheScopeOfEachAlwaysAndShowsLongArgumentsWhole() {
    let long = "{\"path\": \"" + String(repeating: "p", count: 1000) + "\"}"
    let call = ApprovalRequest(
        id: "t1", kind: .sensitiveTool, title: "Run git_commit from module git?",
        details: [.init("tool", "git_commit"), .init("arguments", long)], tool: "git_commit")
    var ui = UIState()
    ui.pendingApproval = call
    ui.showApproval(call, turn: 1)
    let shown = ui.chat.blocks.last?.text ?? ""
    #expect(shown.contains("a = always for git_commit with exactly these arguments"))
    #expect(shown.contains("t = always for git_commit, any arguments"))
    #expect(shown.contains("… \(ApprovalText.grouped(long.count - 400)) more characters (press v to see them whole)"))
    #expect(!shown.contains(long))
    #expect(ui.handle(.char("v"), completions: noCompletions).isEmpty)
    #expect(ui.chat.blocks.last?.text.contains(long) == true, "v shows the arguments whole")
    #expect(ui.pendingApproval != nil, "and the question stays open")
    #expect(ui.handle(.char("t"), completions: noCompletions) == [.answerApproval(id: "t1", .alwaysTool)])
    #expect(ui.chat.blocks.contains { $0.text.hasSuffix("→ approved for this session: git_commit, any arguments") })

    var other = UIState()
    other.pendingApproval = install()
    #expect(other.handle(.char("t"), completions: noCompletions).isEmpty, "no tool, no 'any arguments' choice")
    #expect(other.pendingApproval != nil)
}

@Test func yesAndNoAreRecordedInTheChatOnce() {
    for (key, decision, word) in [(Key.char("y"), ApprovalDecision.yes, "approved"), (.char("n"), .no, "denied")] {
        var ui = UIState()
        ui.pendingApproval = install()
        ui.apply(Event(turnID: 1, kind: .approvalRequired(install())))
        #expect(ui.handle(key, completions: noCompletions) == [.answerApproval(id: "a1", decision)])
        ui.apply(Event(turnID: 1, kind: .approval(id: "a1", decision: decision)))
        let text = ui.chat.blocks.last?.text ?? ""
        #expect(text.contains("network"))
        #expect(text.split(separator: "\n").filter { $0 == "→ \(word)" }.count == 1)
    }
}

@Test func ctrlCDuringAnApprovalDeniesItAndCancelsTheTurn() {
    var ui = UIState()
    ui.busy = true
    ui.pendingApproval = install()
    #expect(ui.handle(.ctrl("c"), completions: noCompletions) == [.answerApproval(id: "a1", .no), .cancelTurn])
}

@Test func secretsAreTypedHiddenAndNeverShown() {
    var ui = UIState()
    ui.pendingSecret = SecretPrompt(module: "clashroyale", name: "api_key")
    for c in "s3cr3t" { #expect(ui.handle(.char(c), completions: noCompletions).isEmpty) }
    #expect(ui.secretLength == 6)
    #expect(ui.input.isEmpty)
    var frame = FrameComposer.compose(&ui, width: 100, height: 30)
    #expect(!frame.grid.lines.joined().contains("s3cr3t"))
    #expect(frame.grid.lines[28].contains("api_key for clashroyale (hidden"))
    #expect(ui.handle(.enter, completions: noCompletions) == [.answerSecret("s3cr3t")])
    #expect(ui.pendingSecret == nil)
    frame = FrameComposer.compose(&ui, width: 100, height: 30)
    #expect(!frame.grid.lines.joined().contains("s3cr3t"))
}

@Test func ctrlCCancelsARunningTurnAndOtherwiseClearsTheLine() {
    var ui = UIState()
    ui.input.insert("draft")
    #expect(ui.handle(.ctrl("c"), completions: noCompletions).isEmpty)
    #expect(ui.input.isEmpty)
    ui.busy = true
    #expect(ui.handle(.ctrl("c"), completions: noCompletions) == [.cancelTurn])
}

@Test func enterSubmitsAndEchoesAndLinesSentDuringATurnWaitTheirTurn() {
    var ui = UIState()
    ui.input.insert("what is up")
    #expect(ui.handle(.enter, completions: noCompletions) == [.submit("what is up")])
    #expect(ui.chat.blocks.last?.text == "› what is up")
    ui.busy = true
    ui.input.insert("next")
    #expect(ui.handle(.enter, completions: noCompletions).isEmpty)
    ui.input.insert("/cost")
    #expect(ui.handle(.enter, completions: noCompletions).isEmpty)
    #expect(ui.input.isEmpty, "nothing is left to be glued to what is typed next")
    #expect(ui.flash == "2 queued")
    #expect(ui.chat.blocks.last?.text == "› what is up", "a queued line is shown when it runs")
    #expect(ui.turnEnded(cleared: false) == "next")
    #expect(ui.busy, "the queued line runs next: a line typed now waits behind it")
    #expect(ui.chat.blocks.last?.text == "› next")
    #expect(ui.turnEnded(cleared: false) == "/cost")
    #expect(ui.turnEnded(cleared: false) == nil)
    #expect(!ui.busy)
    #expect(ui.flash == nil)
}

@Test func ctrlCDuringATurnDropsWhatWasQueuedAndTheNoteGoesWithTheTurn() {
    var ui = UIState()
    ui.busy = true
    ui.input.insert("later")
    _ = ui.handle(.enter, completions: noCompletions)
    #expect(ui.handle(.ctrl("c"), completions: noCompletions) == [.cancelTurn])
    #expect(ui.flash == "cancelling…")
    #expect(ui.turnEnded(cleared: false) == nil)
    #expect(ui.flash == nil, "the cancelling note does not outlive the turn")
}

@Test func ctrlDOnAnEmptyLineAndSlashQuitExit() {
    var ui = UIState()
    #expect(ui.handle(.ctrl("d"), completions: noCompletions) == [.quit])
    ui.input.insert("/quit")
    #expect(ui.handle(.enter, completions: noCompletions) == [.quit])
    ui.input.insert("x")
    #expect(ui.handle(.ctrl("d"), completions: noCompletions).isEmpty)
}

@Test func questionMarkOnAnEmptyLineShowsTheKeysAndAnyKeyClosesThemKeepingWhatIsTyped() {
    var ui = UIState()
    _ = ui.handle(.char("?"), completions: noCompletions)
    #expect(ui.showHelp)
    let frame = FrameComposer.compose(&ui, width: 80, height: 24)
    #expect(frame.grid.lines.contains { $0.contains("Ctrl-C") && $0.contains("cancel the running turn") })
    _ = ui.handle(.char("x"), completions: noCompletions)
    #expect(!ui.showHelp)
    #expect(ui.input.text == "x", "the key that closes the overlay is typed, not lost")
    _ = ui.handle(.ctrl("u"), completions: noCompletions)
    _ = ui.handle(.char("?"), completions: noCompletions)
    _ = ui.handle(.escape, completions: noCompletions)
    #expect(!ui.showHelp)
    #expect(ui.input.isEmpty, "Esc only closes it")
    _ = ui.handle(.char("?"), completions: noCompletions)
    _ = ui.handle(.char("?"), completions: noCompletions)
    #expect(!ui.showHelp, "? toggles the overlay")
    #expect(ui.input.isEmpty)
    ui.input.insert("why")
    _ = ui.handle(.char("?"), completions: noCompletions)
    #expect(ui.input.text == "why?")
}

@Test func tabOnAnEmptyLineAndF6CycleFocus() {
    var ui = UIState()
    _ = ui.handle(.tab, completions: noCompletions)
    #expect(ui.focus == .pipeline)
    _ = ui.handle(.function(6), completions: noCompletions)
    _ = ui.handle(.backTab, completions: noCompletions)
    _ = ui.handle(.function(6), completions: noCompletions)
    #expect(ui.focus == .chat)
}

@Test func pipelineEventsLightNodesAndRecordLatenciesAndDecisions() {
    var ui = UIState()
    ui.apply(Event(turnID: 1, kind: .turnStarted(input: "hi")))
    ui.apply(Event(turnID: 1, kind: .nodeEntered(.classifier)))
    #expect(ui.pipeline.active == .classifier)
    ui.apply(Event(turnID: 1, kind: .route(taskType: "code_generation", tier: "heavy", reason: "keywords")))
    ui.apply(Event(turnID: 1, kind: .nodeLeft(.classifier, latencyMs: 12.5, detail: nil)))
    ui.apply(Event(turnID: 1, kind: .nodeEntered(.modelSelector)))
    ui.apply(Event(turnID: 1, kind: .modelSelected(model: "local:qwen", chain: [])))
    #expect(ui.pipeline.state(.classifier).status == .ok)
    #expect(ui.pipeline.state(.classifier).lastLatencyMs == 12.5)
    #expect(ui.pipeline.annotation(.classifier) == "code_generation")
    #expect(ui.pipeline.annotation(.tierRouter) == "heavy")
    #expect(ui.pipeline.annotation(.modelSelector) == "local:qwen")
    ui.apply(Event(turnID: 1, kind: .error(message: "provider down", hint: nil)))
    #expect(ui.pipeline.state(.modelSelector).status == .error)
    ui.apply(Event(turnID: 1, kind: .turnFinished(outcome: "error", latencyMs: 40)))
    #expect(ui.pipeline.active == nil)
}

@Test func usageEventsAddToSessionAndAllTimeUntilTheNextSnapshot() {
    var ui = UIState()
    let r = LLMCallRecord(
        taskType: "simple_query", provider: "local", model: "q", tier: "standard", tokensIn: 10, tokensOut: 20,
        latencyMs: 5, costUSD: 0.5, outcome: "ok", isLocal: true)
    ui.apply(Event(turnID: 1, kind: .llmCall(r)))
    ui.apply(Event(turnID: 2, kind: .llmCall(r)))
    #expect(ui.costs.sessionTotal.tokensOut == 40)
    #expect(ui.costs.allTimeByTask.first?.costUSD == 1.0)
    var s = StatusSnapshot()
    s.sessionByProvider = [.init(key: "local", tokensIn: 1, tokensOut: 2, costUSD: 0)]
    ui.update(from: s)
    #expect(ui.costs.sessionTotal.tokensOut == 2)
}

@Test func clickingAPaneFocusesIt() {
    var ui = UIState()
    _ = FrameComposer.compose(&ui, width: 160, height: 48)
    _ = ui.handle(.click(x: 150, y: 20), completions: noCompletions)
    #expect(ui.focus == .modules)
    _ = ui.handle(.click(x: 10, y: 10), completions: noCompletions)
    #expect(ui.focus == .chat)
    let f = FrameComposer.compose(&ui, width: 160, height: 48)
    #expect(f.grid.lines[0].hasPrefix("┏━ chat"))
}
