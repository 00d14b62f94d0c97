import NexusCore
import Testing

/// Text from a model or a server, made safe for a terminal: controls are shown, never obeyed.
@Suite struct TerminalTextTests {
    @Test func escapeSequencesAreShownNotObeyed() {
        let s = TerminalText.escapingControls("Hi \u{1B}]0;pwned\u{07} \u{1B}[2J clear")
        #expect(s == "Hi ^[]0;pwned^G ^[[2J clear")
        #expect(!s.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func newlinesAndTabsAreKept() {
        #expect(TerminalText.escapingControls("a\tb\nc\n") == "a\tb\nc\n")
    }

    @Test func plainTextAndUnicodeComeBackUnchanged() {
        let s = "naïve café — 日本語 🙂 ©\u{A0}"
        #expect(!TerminalText.needsEscaping(s))
        #expect(TerminalText.escapingControls(s) == s)
    }

    @Test func aCarriageReturnEndingALineIsDroppedAnyOtherIsShown() {
        #expect(TerminalText.escapingControls("one\r\ntwo\r\n") == "one\ntwo\n")
        #expect(TerminalText.escapingControls("progress\rfake prompt") == "progress^Mfake prompt")
        #expect(TerminalText.escapingControls("end\r") == "end^M")
    }

    @Test func deleteAndOtherC0ControlsUseCaretNotation() {
        #expect(TerminalText.escapingControls("a\u{7F}b\u{00}c\u{08}d") == "a^?b^@c^Hd")
    }

    @Test func c1ControlsAreShownByCodePoint() {
        // U+009B is a one-character CSI on terminals that honour C1; U+009D starts an OSC.
        #expect(TerminalText.escapingControls("x\u{9B}2Jy\u{9D}0;t\u{9C}") == "x<U+009B>2Jy<U+009D>0;t<U+009C>")
        #expect(TerminalText.escapingControls("\u{80}\u{9F}") == "<U+0080><U+009F>")
        // The first characters after the C1 block are ordinary text.
        #expect(TerminalText.escapingControls("\u{A0}\u{A9}") == "\u{A0}\u{A9}")
    }
}
