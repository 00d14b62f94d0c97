import NexusCore
import Testing

@testable import NexusModules

private func tool(_ name: String, _ description: String) -> ToolDefinition {
    ToolDefinition(name: name, description: description)
}

/// Six music apps offer `add_to_queue` (two as a `_v2`), one app offers `play_next`. Both halves like the six
/// copies best; fused without a limit they fill the top five and leave no room for the other tool.
@Test func theFusedTopFiveHoldsAtMostTwoLookAlikesOfOneNameAcrossAppsAndVersions() {
    let apps = ["tidal", "deezer", "apple_music", "soundcloud", "youtube_music", "napster"]
    let copies = apps.enumerated().map { i, app in
        tool("\(app)__add_to_queue" + (i % 3 == 2 ? "_v2" : ""), "Add a song to the \(app) queue after this one.")
    }
    let tools = copies + [tool("radio__play_next", "Play a track right after the current one.")]
    let lexical = ToolIndex(tools)
    // The copies point the query's way; play_next a little less.
    let vectors: [[Float]?] = copies.indices.map { i in [1, Float(i) * 0.01] } + [[0.8, 0.6]]
    let hybrid = HybridRanker(lexical: lexical, semantic: SemanticIndex(dimension: 2, vectors: vectors))
    let picked = hybrid.rank(query: "queue up this song after this one", vector: [1, 0], k: 5)
        .map { tools[$0.index].name }
    #expect(picked.contains("radio__play_next"))
    #expect(picked.prefix(2).allSatisfy { $0.contains("__add_to_queue") }, "the best two copies keep their places")
    #expect(picked.count == 5, "copies held back fill the room left: \(picked)")
    // Neither half limited: the lexical ranking has a limit of its own (`Routing.sameNameLimit`).
    var open = ToolIndex.Routing()
    open.sameNameLimit = 0
    var unlimited = HybridRanker(lexical: ToolIndex(tools, routing: open), semantic: hybrid.semantic)
    unlimited.sameNameLimit = 0
    let before = unlimited.rank(query: "queue up this song after this one", vector: [1, 0], k: 5)
    #expect(!before.map { tools[$0.index].name }.contains("radio__play_next"), "without the limit: five copies")
}

@Test func aToolsVersionsAndItsCopiesInOtherAppsAreOneName() {
    let names = [
        "fastmail__archive_email_v2", "gmail__archive_email", "chat__get_v", "api__list_v2beta", "db__drop_v10",
        "db__drop",
    ]
    let index = ToolIndex(names.map { tool($0, "") })
    let id = { (name: String) in index.localNames[names.firstIndex(of: name)!] }
    #expect(id("fastmail__archive_email_v2") == id("gmail__archive_email"))
    #expect(id("db__drop_v10") == id("db__drop"))
    #expect(id("chat__get_v") != id("api__list_v2beta"), "a bare `_v` is no version, nor is `_v2beta`")
    #expect(Set(names.map(id)).count == 4)
}

/// The semantic half reads what a tool does; its name is the lexical half's evidence. An app named by an everyday
/// word ("last" of last.fm) must not pull all its tools toward every turn that uses the word.
@Test func aToolIsEmbeddedFromItsDescriptionAndFromItsNameOnlyWithoutOne() {
    #expect(ToolText.embedding(of: tool("last_fm__love_track", "Mark a track as loved.")) == "Mark a track as loved.")
    #expect(ToolText.embedding(of: tool("weather__get_forecast", "")) == "weather get forecast")
    #expect(ToolText.embedding(of: tool("weather__get_forecast", " \n")) == "weather get forecast")
    let huge = String(repeating: "é", count: 5_000)
    #expect(ToolText.embedding(of: tool("notes__dump", huge)).unicodeScalars.count == ToolText.embeddedScalars)
}

@Test func aLongTurnIsEmbeddedWholeAndByItsLastSentence() {
    let short = "queue up bohemian rhapsody after this one"
    #expect(QueryTexts.forEmbedding(short) == [short])
    let context =
        "ive been debugging this flaky login test for two days and I think it's the session cookie, "
        + "the fix is in my branch fix/cookie."
    let turn = context + " can you open a pull request for it against main"
    #expect(QueryTexts.forEmbedding(turn) == [turn, "can you open a pull request for it against main"])
    // A sentence too short to say anything takes the one before it along.
    #expect(QueryTexts.forEmbedding(context + " open a PR. thanks!").last == "open a PR. thanks!")
    // No sentence end: the last `tailWords` words.
    let run = (1...40).map { "w\($0)" }.joined(separator: " ")
    let tail = QueryTexts.forEmbedding(run).last?.split(separator: " ") ?? []
    #expect(tail.count == QueryTexts.tailWords && tail.last == "w40")
}

@Test func aToolScoresItsBestSimilarityToAnyOfTheTurnsVectors() {
    let index = SemanticIndex(dimension: 2, vectors: [[1, 0], [0, 1], [0.7, 0.7]])
    // The whole turn points at tool 0 (its context), the tail at tool 1 (its intent): both rank above tool 2.
    let ranked = index.rank(bestOf: [[1, 0.05], [0.05, 1]], k: 3).map(\.index)
    #expect(Set(ranked.prefix(2)) == [0, 1])
    #expect(index.rank([1, 0.05], k: 3).map(\.index) == [0, 2, 1])
    // A vector of another size is ignored, not an error.
    #expect(index.rank(bestOf: [[0.05, 1], [1, 0, 0]], k: 1).map(\.index) == [1])
    #expect(index.rank(bestOf: [], k: 1).isEmpty)
}
