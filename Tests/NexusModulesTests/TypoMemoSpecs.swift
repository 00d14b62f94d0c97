import NexusCore
import Testing

@testable import NexusModules

/// A turn looks each unknown word up once (`TypoMatcher.Memo`): a pasted log that repeats a word the index does not
/// know cost one typo lookup per repeat, a thousand in the picker's last 4,000 characters.
@Suite struct TypoMemoSpecs {
    static let tools = [
        ToolDefinition(name: "calendar__list_events", description: "List the events on your calendar for a day."),
        ToolDefinition(name: "gmail__send_email", description: "Send an email message."),
        ToolDefinition(name: "slack__post_message", description: "Post a message to a Slack channel."),
        ToolDefinition(name: "weather__get_forecast", description: "Get the weather forecast for tomorrow."),
    ]
    static let index = ToolIndex(tools)

    /// What the picker reads of a turn: its last 4,000 code points (`ToolRanking.focus`).
    static func focus(_ turn: String) -> String {
        String(String.UnicodeScalarView(turn.unicodeScalars.suffix(4000)))
    }

    static func lookups(_ turn: String) -> (count: Int, terms: [(id: Int32, weight: Float, group: Int)]) {
        var memo = TypoMatcher.Memo(index.typos, abbreviations: true)
        let terms = index.queryTerms(turn, typos: &memo)
        return (memo.lookups, terms)
    }

    @Test func aTurnOfOneUnknownWordRepeatedCostsOneLookup() {
        let turn = Self.focus(String(repeating: "calender ", count: 10_000))
        #expect(turn.split(separator: " ").count > 400)
        let (count, terms) = Self.lookups(turn)
        // The word, and the piece of it the cut left first ("nder").
        #expect(count == Set(turn.split(separator: " ")).count)
        #expect(count == 2)
        // What the word finds is what it finds alone: the calendar tool.
        #expect(Set(terms.map(\.id)) == Set(Self.index.queryTerms("calender").map(\.id)))
        #expect(Self.index.rank(query: turn, k: 1).first.map { Self.tools[$0.index].name } == "calendar__list_events")
    }

    @Test func aRepeatedSentenceCostsTheLookupsOfOneCopy() {
        let sentence = "wats on my calender tmrw, emial the slak chanel "
        let once = Self.lookups(sentence)
        let many = Self.lookups(Self.focus(String(repeating: sentence, count: 10_000)))
        #expect(once.count > 1)
        #expect(many.count == once.count)
        #expect(Set(many.terms.map(\.id)) == Set(once.terms.map(\.id)))
    }

    @Test func wordsNoLookupWouldTakeAreNeitherLookedUpNorKept() {
        let marks = "a" + String(repeating: "\u{301}\u{316}", count: 50_000)
        var memo = TypoMatcher.Memo(Self.index.typos, abbreviations: true)
        for word in [marks, String(repeating: "x", count: 10_000), "café"] {
            let near = memo.matches(word) { _ in 0 }
            #expect(near.typos.isEmpty && near.abbreviated.isEmpty)
        }
        #expect(memo.lookups == 0)
    }
}
