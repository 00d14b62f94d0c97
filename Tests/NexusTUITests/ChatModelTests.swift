import NexusCore
import Testing

@testable import NexusTUI

@Test func streamedTokensWrapExactlyLikeTheWholeText() {
    let answer =
        "Here is a longer answer with 日本語 and emoji 😀 that keeps going across many rows of the pane. "
        + "It has a second sentence, too.\nAnd a\n\nsecond paragraph that wraps as well, naturally."
    var streamed = ChatModel()
    for layoutEvery in [1, 2, 3] {
        var streamed = ChatModel()
        for (i, c) in answer.enumerated() {
            streamed.appendToken(String(c), turn: 1)
            if i % layoutEvery == 0 { _ = streamed.visibleRows(width: 17, height: 100) }
        }
        var whole = ChatModel()
        whole.add(ChatBlock(kind: .assistant, turnID: 1, text: answer))
        #expect(
            streamed.visibleRows(width: 17, height: 100).map(\.range)
                == whole.visibleRows(width: 17, height: 100).map(\.range))
    }
    var words = answer.split(separator: " ", omittingEmptySubsequences: false).map { $0 + " " }
    words[words.count - 1].removeLast()
    for (i, w) in words.enumerated() {
        streamed.appendToken(String(w), turn: 1)
        if i % 2 == 0 { _ = streamed.visibleRows(width: 17, height: 100) }  // wrap mid-stream, as frames do
    }
    var whole = ChatModel()
    whole.add(ChatBlock(kind: .assistant, turnID: 1, text: answer))
    let a = streamed.visibleRows(width: 17, height: 100).map(\.range)
    let b = whole.visibleRows(width: 17, height: 100).map(\.range)
    #expect(a == b)
    #expect(streamed.blocks.count == 1)
    #expect(streamed.blocks[0].text == answer)
}

@Test func fencedCodeIsMarkedAsCodeAndHardWrapped() {
    var b = ChatBlock(kind: .assistant, text: "Look:\n```swift\nlet x = 1 // a comment that is long\n```\ndone")
    _ = b.layout(width: 20)
    let lines = b.lines
    #expect(lines.map(\.isFence) == [false, true, false, true, false])
    #expect(lines.map(\.isCode) == [false, false, true, true, false])
    #expect(lines[1].fenceLabel == "swift")
    // Code rows are hard-wrapped at the width minus the two-column gutter.
    #expect(lines[2].rows == [0..<18, 18..<35])
}

@Test func theViewFollowsTheStreamUntilScrolledAndThenStaysPut() {
    var chat = ChatModel()
    for i in 0..<50 { chat.add(ChatBlock(kind: .notice, text: "line \(i)")) }
    var rows = chat.visibleRows(width: 30, height: 10)
    #expect(rows.count == 10)
    #expect(chat.blocks[rows.last!.block].text == "line 49")
    chat.pageUp()
    rows = chat.visibleRows(width: 30, height: 10)
    let topBefore = rows.first!.block
    #expect(chat.scrollOffset == 8)
    chat.add(ChatBlock(kind: .notice, text: "line 50"))
    rows = chat.visibleRows(width: 30, height: 10)
    #expect(rows.first!.block == topBefore)  // new rows below did not move what was being read
    chat.scrollToBottom()
    rows = chat.visibleRows(width: 30, height: 10)
    #expect(chat.blocks[rows.last!.block].text == "line 50")
}

@Test func scrollingStopsAtTheTopOfTheConversation() {
    var chat = ChatModel()
    for i in 0..<5 { chat.add(ChatBlock(kind: .notice, text: "n\(i)")) }
    _ = chat.visibleRows(width: 20, height: 4)
    for _ in 0..<10 { chat.pageUp() }
    let rows = chat.visibleRows(width: 20, height: 4)
    #expect(chat.blocks[rows.first!.block].text == "n0")
    #expect(chat.scrollOffset == chat.totalRows - 4)
}

@Test func aToolCallSplitsTheAnswerIntoBlocksAroundIt() {
    var ui = UIState()
    ui.apply(Event(turnID: 3, kind: .token("Let me look. ")))
    ui.apply(
        Event(
            turnID: 3, kind: .toolCall(ToolCall(id: "c1", name: "weather", arguments: ["city": "Oslo"]), module: "wx")))
    ui.apply(
        Event(
            turnID: 3,
            kind: .toolResult(ToolResult(callID: "c1", name: "weather", content: "4°C, rain"), latencyMs: 120)))
    ui.apply(Event(turnID: 3, kind: .token("It is 4°C.")))
    ui.apply(Event(turnID: 3, kind: .final(text: "Let me look. It is 4°C.")))
    #expect(ui.chat.blocks.map(\.kind) == [.assistant, .tool, .tool, .assistant])
    #expect(ui.chat.blocks[1].text == "⚙ weather(city: \"Oslo\") [wx]")
    #expect(ui.chat.blocks[2].text == "↳ weather 120ms: 4°C, rain")
    #expect(ui.modules.rows.first?.name == "wx")
    #expect(ui.modules.rows.first?.calls == 1)
}

@Test func aFinalWithoutStreamedTokensShowsItsText() {
    var ui = UIState()
    ui.apply(Event(turnID: 1, kind: .final(text: "non-streamed answer")))
    #expect(ui.chat.blocks.map(\.text) == ["non-streamed answer"])
}
