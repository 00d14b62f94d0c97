import NexusCore
import Testing

@testable import NexusModules

/// Specifications from fuzzing the tool picker (`fuzz/run.sh 1000000 picker`, fuzz/PickerFuzz.swift): each is an
/// input the fuzzer found, cut down to the tools and the turn that show it.

/// mcp-server-time's tools, as the module host names them, beside another app's.
private let timeTools = [
    ToolDefinition(name: "time__get_current_time", description: "Get the current time in a time zone."),
    ToolDefinition(name: "time__convert_time", description: "Convert a time from one time zone to another."),
    ToolDefinition(name: "weather__get_forecast", description: "Get the weather forecast for a city."),
]

/// "time" names the time app but is among English's commonest words, so its weight is capped to nothing
/// (`Routing.englishSpan`). A tool that term reached first was listed as a candidate once for it and again for
/// the next term, and came back twice: a request with one tool name twice, which provider APIs refuse.
@Test func aToolReachedByAnEverydayAppNameIsPickedOnce() {
    let ranked = ToolIndex(timeTools).rank(query: "what's the current time in Tokyo", k: 5)
    let names = ranked.map { timeTools[$0.index].name }
    #expect(names.first == "time__get_current_time")
    #expect(Set(names).count == names.count, "\(names)")
}

/// The same turn through the hybrid ranking: the tool first in both halves scores first place twice, 2 / (k0 + 1),
/// not a second lexical place on top (its duplicate in the lexical list was fused into it).
@Test func hybridPicksOfAnEverydayAppNameFuseEachLexicalPlaceOnce() {
    let semantic = SemanticIndex(dimension: 2, vectors: [[1, 0], [0.8, 0.6], [0, 1]])
    let hybrid = HybridRanker(lexical: ToolIndex(timeTools), semantic: semantic)
    let ranked = hybrid.rank(query: "what's the current time in Tokyo", vector: [1, 0.1], k: 5)
    let names = ranked.map { timeTools[$0.index].name }
    #expect(names.first == "time__get_current_time")
    #expect(Set(names).count == names.count, "\(names)")
    #expect(abs((ranked.first?.score ?? 0) - 2 / (hybrid.k0 + 1)) < 1e-12, "\(ranked)")
}

/// Counting a tool twice also applied its share of the turn's words twice (`Routing.coordination`): a tool matching
/// two of the turn's three words must score 2/3 of its uncoordinated score, not (2/3)².
@Test func anEverydayAppNameCountsOnceInTheShareOfTheTurnsWords() {
    var plain = ToolIndex.Routing()
    plain.appBoost = 0
    plain.coordination = 0
    var coordinated = plain
    coordinated.coordination = 1
    let query = "current time forecast"
    let whole = ToolIndex(timeTools, routing: plain).rank(query: query, k: 3).first { $0.index == 0 }?.score ?? 0
    let shared = ToolIndex(timeTools, routing: coordinated).rank(query: query, k: 3).first { $0.index == 0 }?.score ?? 0
    #expect(whole > 0)
    #expect(abs(shared - whole * 2 / 3) < 1e-5 * whole, "\(shared) vs \(whole)")
}

/// A run of combining marks of two alternating classes is one "word" to the tokenizer and, however long, one
/// character to Swift (so `ToolRanking.focus`' 4,000 characters keep all of it). Hashing it — a dictionary key,
/// a stop-word check — puts it in canonical order, which costs the square of its length: 250 KB took 3.6 s per
/// hash, 1 MB over a minute. A module's parameter description or a turn of that shape stalled the picker.
@Test func aHugeRunOfCombiningMarksIsNoWordAndCostsLittle() {
    let marks = "a" + String(repeating: "\u{301}\u{316}", count: 50_000)
    let tool = ToolDefinition(
        name: "notes__create_note", description: "Create a note.",
        inputSchema: ["type": "object", "properties": ["title": ["type": "string", "description": .string(marks)]]])
    let clock = ContinuousClock()
    let start = clock.now
    let index = ToolIndex([tool] + timeTools)
    let ranked = index.rank(query: "create a note " + marks, k: 3)
    #expect(clock.now - start < .seconds(2))
    #expect(ranked.first.map { index.tools[$0.index].name } == "notes__create_note")
    #expect(ToolTokenizer.words(marks).isEmpty)
    #expect(ToolTokenizer.words("x" + String(repeating: "é", count: 40) + " y") == ["y"])
}
