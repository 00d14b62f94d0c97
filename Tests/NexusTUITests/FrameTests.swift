import Testing

@testable import NexusTUI

@Test func aWideCharacterTakesTwoCellsAndCapturesAsOne() {
    var g = CellGrid(width: 8, height: 1)
    let end = g.put("a中b", row: 0, col: 0, style: .normal)
    #expect(end == 4)
    #expect(g[0, 1] == "中")
    #expect(g[0, 2] == CellGrid.continuation)
    #expect(g.text(row: 0) == "a中b    ")
}

@Test func aWideCharacterThatWouldCrossTheLimitBecomesASpace() {
    var g = CellGrid(width: 4, height: 1)
    g.put("abc中", row: 0, col: 0, style: .normal)
    #expect(g.text(row: 0) == "abc ")
}

@Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
    var g = CellGrid(width: 6, height: 1)
    g.put("中文", row: 0, col: 0, style: .normal)
    g.put("x", row: 0, col: 1, style: .normal)
    #expect(g.text(row: 0) == " x文  ")
    g.put("y", row: 0, col: 2, style: .normal)
    #expect(g.text(row: 0) == " xy   ")
}

@Test func identicalFramesHaveNoDiff() {
    var a = CellGrid(width: 20, height: 5)
    a.put("hello", row: 2, col: 3, style: .assistant)
    let d = FrameDiff.between(a, a)
    #expect(d.runs.isEmpty)
    #expect(!d.isFull)
}

@Test func aStreamedTokenRepaintsOnlyItsCells() {
    var a = CellGrid(width: 40, height: 10)
    a.put("The answer is", row: 4, col: 2, style: .assistant)
    var b = a
    b.put(" 42", row: 4, col: 15, style: .assistant)
    let d = FrameDiff.between(a, b)
    #expect(d.runs == [FrameDiff.Run(row: 4, col: 15, columns: 3, text: " 42", style: .assistant)])
    #expect(d.changedCells == 3)
}

@Test func diffRunsKeepWideCharactersWholeAndSplitOnStyle() {
    var a = CellGrid(width: 10, height: 1)
    a.put("ab中d", row: 0, col: 0, style: .normal)
    var b = a
    b.put("文", row: 0, col: 2, style: .normal)
    b.put("X", row: 0, col: 4, style: .error)
    let d = FrameDiff.between(a, b)
    #expect(d.runs.count == 2)
    #expect(d.runs[0] == FrameDiff.Run(row: 0, col: 2, columns: 2, text: "文", style: .normal))
    #expect(d.runs[1] == FrameDiff.Run(row: 0, col: 4, columns: 1, text: "X", style: .error))
}

@Test func aResizedFrameIsRedrawnInFull() {
    let a = CellGrid(width: 10, height: 2)
    let b = CellGrid(width: 12, height: 2)
    let d = FrameDiff.between(a, b)
    #expect(d.isFull)
    #expect(d.changedCells == 24)
}

@Test func applyingADiffToTheOldFrameGivesTheNewFrame() {
    var a = CellGrid(width: 30, height: 4)
    a.put("日本語 and ascii", row: 0, col: 0, style: .normal)
    a.put("😀 emoji", row: 2, col: 5, style: .tool)
    var b = CellGrid(width: 30, height: 4)
    b.put("日本 and more 文字", row: 0, col: 1, style: .user)
    b.put("emoji 😀", row: 2, col: 4, style: .tool)
    b.put("new", row: 3, col: 27, style: .error)
    var replay = a
    for run in FrameDiff.between(a, b).runs {
        replay.put(run.text, row: run.row, col: run.col, style: run.style)
    }
    #expect(replay.lines == b.lines)
    #expect(replay.styles == b.styles)
}

@Test func stringsAndCharacterSlicesPlaceClustersAlike() {
    let text = "e\u{301} 👍🏽 👨‍👩‍👧 ☺️ 中"
    var a = CellGrid(width: 20, height: 1)
    var b = CellGrid(width: 20, height: 1)
    let ea = a.put(text, row: 0, col: 0, style: .normal)
    let eb = b.put(Array(text)[...], row: 0, col: 0, style: .normal)
    #expect(ea == eb)
    #expect(a.lines == b.lines)
    #expect(a.text(row: 0).hasPrefix("e\u{301} 👍 👨👩👧 ☺ 中"))
    #expect(FrameDiff.between(a, b).runs.isEmpty)
}

/// Joined emoji, skin tones, presentation selectors and flags are drawn as pieces every terminal gives
/// the same width, and the width NEXUS counts is the width it draws.
@Test(arguments: ["👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "☺️", "🇯🇵", "👩‍❤️‍💋‍👨", "e\u{301}", "中"])
func everyClusterTakesTheColumnsItIsCountedAs(_ s: String) {
    let c = Character(s)
    var g = CellGrid(width: 30, height: 2)
    let afterCharacter = g.put([c][...], row: 0, col: 0, style: .normal)
    let afterString = g.put(s, row: 1, col: 0, style: .normal)
    #expect(afterCharacter == DisplayWidth.of(c))
    #expect(afterString == DisplayWidth.of(c))
    for row in 0..<2 {
        for col in 0..<30 {
            let cell = String(g[row, col])
            #expect(!cell.unicodeScalars.contains { DisplayWidth.isDisputed($0.value) }, "never sent: \(s)")
        }
    }
}
