import NexusOrchestrator
import Testing

@testable import NexusTUI

@Test func keysAreDecodedFromRawTerminalBytes() {
    var d = KeyDecoder()
    #expect(d.feed(Array("hi".utf8)) == [.char("h"), .char("i")])
    #expect(d.feed([0x0D, 0x7F, 0x09, 0x03, 0x04]) == [.enter, .backspace, .tab, .ctrl("c"), .ctrl("d")])
    #expect(d.feed(Array("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D".utf8)) == [.up, .down, .right, .left])
    #expect(
        d.feed(Array("\u{1B}[5~\u{1B}[6~\u{1B}[3~\u{1B}[H\u{1B}[F".utf8)) == [.pageUp, .pageDown, .delete, .home, .end])
    #expect(d.feed(Array("\u{1B}OP\u{1B}[17~\u{1B}[Z".utf8)) == [.function(1), .function(6), .backTab])
    #expect(d.feed(Array("\u{1B}[1;5D\u{1B}b".utf8)) == [.ctrlLeft, .alt("b")])
}

@Test func wideCharactersSplitAcrossReadsArriveWhole() {
    var d = KeyDecoder()
    let bytes = Array("中😀".utf8)
    #expect(d.feed(bytes[0..<2]) == [])
    #expect(d.feed(bytes[2..<5]) == [.char("中")])
    #expect(d.feed(bytes[5...]) == [.char("😀")])
}

@Test func aLoneEscapeIsAKeyOnlyAfterThePause() {
    var d = KeyDecoder()
    #expect(d.feed([0x1B]) == [])
    #expect(d.isWaiting)
    #expect(d.flush() == [.escape])
    #expect(!d.isWaiting)
    // An arrow split over two reads is still an arrow.
    #expect(d.feed([0x1B, 0x5B]) == [])
    #expect(d.feed([0x41]) == [.up])
}

@Test func mouseWheelReportsScroll() {
    var d = KeyDecoder()
    #expect(
        d.feed(Array("\u{1B}[<64;10;5M\u{1B}[<65;10;5M\u{1B}[<0;3;4M\u{1B}[<0;3;4m".utf8)) == [
            .wheelUp, .wheelDown, .click(x: 2, y: 3), .unknown,
        ])
}

@Test func bracketedPasteArrivesAsOneKeyEvenWithNewlines() {
    var d = KeyDecoder()
    let keys = d.feed(Array("\u{1B}[200~line one\rline 二\u{1B}[20".utf8)) + d.feed(Array("1~x".utf8))
    #expect(keys == [.paste("line one\rline 二"), .char("x")])
}

@Test func theInputLineEditsLikeEmacs() {
    var l = InputLine()
    for c in "hello world" { l.insert(c) }
    l.wordLeft()
    l.insert("big ")
    #expect(l.text == "hello big world")
    l.home()
    l.deleteForward()
    #expect(l.text == "ello big world")
    l.end()
    l.deleteWordBack()
    #expect(l.text == "ello big ")
    l.left()
    l.left()
    l.killToEnd()
    #expect(l.text == "ello bi")
    l.killToStart()
    #expect(l.text.isEmpty)
}

@Test func emojiSequencesTypedScalarByScalarStayOneCharacter() {
    var l = InputLine()
    l.insert("👍")
    l.insert("\u{1F3FD}")
    #expect(l.chars.count == 1)
    l.backspace()
    #expect(l.isEmpty)
}

@Test func historyWalksBackAndForwardAndKeepsTheDraft() {
    var l = InputLine()
    for s in ["first", "second", "second"] {
        l.insert(s)
        _ = l.take()
    }
    #expect(l.history == ["first", "second"])
    l.insert("dra")
    l.historyUp()
    #expect(l.text == "second")
    l.historyUp()
    l.historyUp()
    #expect(l.text == "first")
    l.historyDown()
    l.historyDown()
    #expect(l.text == "dra")
}

@Test func tabCompletesSlashCommandsFromTheSessionRegistry() {
    let session = ScriptedSession()
    var l = InputLine()
    l.insert("/he")
    l.complete(using: session.completions(for:))
    #expect(l.text == "/help ")
    l.clear()
    l.insert("/mo")
    l.complete(using: session.completions(for:))
    #expect(l.text == "/mod")  // common prefix of /model and /modules
    #expect(l.candidates.map(\.text) == ["/model", "/modules"])
    l.complete(using: session.completions(for:))
    #expect(l.text == "/model")
    l.complete(using: session.completions(for:))
    #expect(l.text == "/modules")
    l.clear()
    l.insert("plain text")
    l.complete(using: session.completions(for:))
    #expect(l.text == "plain text")
}

@Test func theViewportScrollsToKeepTheCursorVisibleWithWideCharacters() {
    var l = InputLine()
    for c in "日本語のテキスト" { l.insert(c) }
    let v = l.viewport(width: 7)
    #expect(DisplayWidth.of(v.text) <= 7)
    #expect(v.cursorColumn < 7)
    #expect(v.text.last == "ト")
    l.home()
    let h = l.viewport(width: 7)
    #expect(h.cursorColumn == 0)
    #expect(String(h.text) == "日本語")
}

@Test func aPastedBlockBecomesOneLineWithSpacesForNewlines() {
    var l = InputLine()
    l.insert("first line\nsecond\tline\r\nthird")
    #expect(l.text == "first line second    line third")
}

@Test func aPastedBlockBecomesOneLineWithASpaceForEachLineBreak() {
    var line = InputLine()
    line.insert("one\rtwo\r\nthree\nfour")
    #expect(line.text == "one two three four")
}
