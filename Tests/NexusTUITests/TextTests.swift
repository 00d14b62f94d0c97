import Testing

@testable import NexusTUI

@Test func asciiCJKEmojiAndCombiningMarksHaveTheirTerminalWidths() {
    #expect(DisplayWidth.of("a") == 1)
    #expect(DisplayWidth.of("中") == 2)
    #expect(DisplayWidth.of("한") == 2)
    #expect(DisplayWidth.of("😀") == 2)
    #expect(DisplayWidth.of("👍🏽") == 2, "drawn as 👍: terminals disagree about the modifier")
    #expect(DisplayWidth.of("👨‍👩‍👧") == 6, "drawn as three emoji: terminals disagree about joining")
    #expect(DisplayWidth.of("☺️") == 1, "drawn without the presentation selector")
    #expect(DisplayWidth.of("🇯🇵") == 2)
    #expect(DisplayWidth.of("é") == 1)
    #expect(DisplayWidth.of("e\u{301}") == 1)
    #expect(DisplayWidth.of("\u{7}") == 0)
    #expect(DisplayWidth.of("ｆ") == 2)
    #expect(DisplayWidth.of("日本語 ok") == 9)
}

@Test func truncationNeverSplitsAWideCharacterAndMarksTheCut() {
    #expect(DisplayWidth.truncate("日本語テキスト", to: 6) == "日本…")
    #expect(DisplayWidth.of(DisplayWidth.truncate("日本語テキスト", to: 6)) <= 6)
    #expect(DisplayWidth.truncate("short", to: 10) == "short")
    #expect(DisplayWidth.pad("ab", to: 4) == "ab  ")
    #expect(DisplayWidth.pad("ab", to: 4, alignRight: true) == "  ab")
}

@Test func proseWrapsAtSpacesWithinTheWidth() {
    let rows = WordWrapper.wrapLines("the quick brown fox jumps over the lazy dog", width: 10)
    #expect(rows == ["the quick", "brown fox", "jumps over", "the lazy", "dog"])
    for r in rows { #expect(DisplayWidth.of(r) <= 10) }
}

@Test func wideCharactersWrapByColumnsNotByCount() {
    let rows = WordWrapper.wrapLines("日本語のテキストを折り返す", width: 7)
    // 13 wide characters, 3 per 7-column row (6 columns), never 4 (8 columns).
    #expect(rows == ["日本語", "のテキ", "ストを", "折り返", "す"])
    for r in rows { #expect(DisplayWidth.of(r) <= 7) }
    let emoji = WordWrapper.wrapLines("😀😀😀 ok", width: 5)
    #expect(emoji == ["😀😀", "😀 ok"])
}

@Test func aWordLongerThanTheRowIsSplit() {
    #expect(WordWrapper.wrapLines("abcdefghij kl", width: 4) == ["abcd", "efgh", "ij", "kl"])
}

@Test func codeIsHardWrappedKeepingItsSpaces() {
    #expect(WordWrapper.wrapLines("    let x = 1", width: 6, hard: true) == ["    le", "t x = ", "1"])
}

@Test func resumingAWrapFromItsLastRowGivesTheFullResult() {
    let text = Array("lorem ipsum dolor sit amet, 中文字符 consectetur 😀 adipiscing elit sed do eiusmod tempor")
    let full = WordWrapper.wrap(text, width: 13)
    for cut in 1..<full.count {
        let resumed = Array(full[..<cut]) + WordWrapper.wrap(text, from: full[cut].lowerBound, width: 13)
        #expect(resumed == full)
    }
}

@Test func controlCharactersAreDroppedAndTabsBecomeSpaces() {
    #expect(String(WordWrapper.sanitize("a\tb\u{1B}[31mc\r\n")) == "a    b[31mc\n")
}

@Test func aHelpTableWrapsUnderItsDescriptionColumn() {
    let line = "  /modules      List, inspect, install, enable, disable, remove, roll back, test or reload modules"
    let rows = WordWrapper.wrapLines(line, width: 60)
    #expect(
        rows == [
            "  /modules      List, inspect, install, enable, disable,",
            "                remove, roll back, test or reload modules",
        ])
    for r in rows { #expect(DisplayWidth.of(r) <= 60) }
}

@Test func aListItemWrapsUnderItsTextAndProseStaysFlush() {
    #expect(WordWrapper.wrapLines("- one two three four", width: 10) == ["- one two", "  three", "  four"])
    #expect(WordWrapper.wrapLines("12. one two three", width: 10) == ["12. one", "    two", "    three"])
    #expect(WordWrapper.wrapLines("one two.  three four", width: 10) == ["one two. ", "three four"])
    // A second column past half the width would leave too little room: the line hangs at its indent.
    #expect(WordWrapper.hangingIndent(Array("  name                    description"), width: 40) == 2)
}

@Test func resumingAHangingWrapFromItsLastRowGivesTheFullResult() {
    let text = Array("  key    lorem ipsum dolor sit amet, 中文字符 consectetur 😀 adipiscing elit sed do eiusmod")
    let hang = WordWrapper.hangingIndent(text, width: 20)
    #expect(hang == 9)
    let full = WordWrapper.wrap(text, width: 20, hang: hang)
    for cut in 1..<full.count {
        let resumed = Array(full[..<cut]) + WordWrapper.wrap(text, from: full[cut].lowerBound, width: 20, hang: hang)
        #expect(resumed == full)
    }
}
