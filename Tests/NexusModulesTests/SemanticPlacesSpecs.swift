import NexusCore
import Testing

@testable import NexusModules

private func tool(_ name: String, _ description: String) -> ToolDefinition {
    ToolDefinition(name: name, description: description)
}

/// A hybrid ranker over `tools` with 2-d `vectors`, and where it places `name` for `turn` (the turn's vector is
/// [1, 0]; `Int.max` when not ranked).
private struct Catalogue {
    let tools: [ToolDefinition]
    var hybrid: HybridRanker

    init(_ tools: [ToolDefinition], _ vectors: [[Float]?]) {
        self.tools = tools
        hybrid = HybridRanker(lexical: ToolIndex(tools), semantic: SemanticIndex(dimension: 2, vectors: vectors))
    }

    func place(_ name: String, for turn: String) -> Int {
        hybrid.rank(query: turn, vector: [1, 0], k: tools.count).firstIndex { tools[$0.index].name == name } ?? .max
    }
}

/// 120 look-alike apps take the semantic list's first 120 places; the tool the turn describes comes 121st, the tool
/// that shares the turn's rarest word is not similar at all. Lexically the rare word wins. A semantic half read
/// only to its depth (100) says nothing about either, and the rare word decides; a place, however deep, says the
/// described tool is related and the other is not.
@Test func aToolTheLexicalHalfFindsKeepsItsSemanticPlaceBelowTheListsDepth() {
    let lookAlikes = (0..<120).map { tool("sync\($0)__sync_records\($0)", "Keep the workspace's records in step.") }
    let described = tool("sheets__export_table", "Export a table to a spreadsheet file.")
    let sharesAWord = tool("books__archive_ledger", "Archive a closed ledger.")
    let other = tool("backup__export_backup", "Export a backup of everything.")
    var c = Catalogue(
        lookAlikes + [described, sharesAWord, other],
        lookAlikes.indices.map { [1, Float($0) * 0.005] } + [[1, 0.9], [0, 1], [0, 1]])
    let turn = "export the ledger"
    #expect(c.hybrid.lexical.rank(query: turn, k: 1).first.map { c.tools[$0.index].name } == sharesAWord.name)
    #expect(c.place(described.name, for: turn) < c.place(sharesAWord.name, for: turn))
    // Read only to its depth, the semantic half leaves the rare word to decide.
    c.hybrid.fullSemanticRanks = false
    #expect(c.place(sharesAWord.name, for: turn) < c.place(described.name, for: turn))
}

@Test func aToolsSemanticPlaceCountsTheToolsMoreSimilarAndUnrelatedToolsHaveNone() {
    let index = SemanticIndex(dimension: 2, vectors: [[1, 0], [0.8, 0.6], nil, [0.8, 0.6], [0, 1], [-1, 0]])
    let similarities = index.similarities(bestOf: [[1, 0]])
    #expect(similarities.count == 6)
    let places = RankPlaces(scores: similarities)
    #expect(places.rank(of: 0) == 1)
    #expect(places.rank(of: 1) == 2 && places.rank(of: 3) == 2, "equal similarities share a place")
    #expect(places.rank(of: 2) == nil, "no vector, no place")
    #expect(places.rank(of: 4) == nil && places.rank(of: 5) == nil, "not similar at all")
    #expect(places.rank(of: 6) == nil && places.rank(of: -1) == nil)
    #expect(places.ranks(among: [5, 3, 1, 0]).map(\.tool) == [0, 1, 3], "ties keep the lower index first")
    // The scan's top list is the same order.
    #expect(index.rank(bestOf: [[1, 0]], k: 6).map(\.index) == [0, 1, 3])
    #expect(index.similarities(bestOf: [[1, 0, 0]]).isEmpty, "a query of another size")
}

/// The turn names Linear; sixty look-alike trackers take the semantic list's first places, so Linear's own tools sit
/// at semantic places 61-63 whose reciprocals barely differ, and the lexical half orders them by the one incidental
/// word one of them shares ("log"). Ranked among Linear's own tools (`appScope`), the semantic half says which of
/// them the turn describes. Measured on the benchmark's tuning turns it lost more than it won (the named app's
/// weakest tools rise too, and a wrongly implied app's with them: BENCHMARKS.md, session 9), so it is off by default.
@Test func aNamedAppsToolTheTurnDescribesBeatsItsToolThatSharesOneIncidentalWordWhenRankedInsideTheApp() {
    // Sixty different tools (not copies of one name, which would count as one place: `placesByName`).
    let lookAlikes = (0..<60).map { tool("tracker\($0)__open_ticket\($0)", "Open a ticket for a team.") }
    let sharesAWord = tool("linear__export_log", "Export the Linear workspace's audit log.")
    let described = tool("linear__create_issue", "Create a Linear issue in a team.")
    let third = tool("linear__list_projects", "List Linear projects.")
    var c = Catalogue(
        lookAlikes + [sharesAWord, described, third],
        lookAlikes.indices.map { [1, Float($0) * 0.01] } + [[0.1, 1], [1, 0.9], [0.2, 1]])
    let turn = "log a bug in linear"
    #expect(c.hybrid.appScope == .none)
    #expect(c.place(sharesAWord.name, for: turn) < c.place(described.name, for: turn), "by default the word decides")
    c.hybrid.appScope = .named
    #expect(c.place(described.name, for: turn) < c.place(sharesAWord.name, for: turn))
    #expect(c.place(described.name, for: turn) == 0)
}

/// Thirty apps' copies of one tool are the turn's closest vectors; the tool the turn describes comes next, the tool
/// the lexical half puts first a little after it. Counted tool by tool, the copies push both thirty places down,
/// where a place barely differs from the next and the lexical order decides; counted name by name, they are one
/// answer given thirty times and push both one place down, where the semantic half's preference still counts.
@Test func copiesOfOneToolAcrossAppsPushAnotherToolDownOnePlaceNotOnePerCopy() {
    let copies = (0..<30).map { tool("sync\($0)__archive_memo", "Archive a memo.") }
    let described = tool("kitchen__show_note", "Show a note by its title.")
    let between = tool("misc__tidy_desk", "Tidy the desk.")
    let lexicalFirst = tool("kitchen__lost_recipe", "Recover a lost recipe.")
    let vectors: [[Float]?] = copies.indices.map { [1, Float($0) * 0.01] } + [[1, 0.5], [1, 0.55], [1, 0.6]]
    var c = Catalogue(copies + [described, between, lexicalFirst], vectors)
    let turn = "find my lost recipe note"
    let lexicalTwo = c.hybrid.lexical.rank(query: turn, k: 2).map { c.tools[$0.index].name }
    #expect(lexicalTwo == [lexicalFirst.name, described.name])
    #expect(c.hybrid.placesByName)
    #expect(c.place(described.name, for: turn) < c.place(lexicalFirst.name, for: turn))
    c.hybrid.placesByName = false
    #expect(c.place(lexicalFirst.name, for: turn) < c.place(described.name, for: turn), "thirty copies, thirty places")
    // The places themselves: a tool's own copies never count against it.
    let names = c.hybrid.lexical.localNames
    let similarities = SemanticIndex(dimension: 2, vectors: vectors).similarities(bestOf: [[1, 0]])
    let byName = RankPlaces(scores: similarities, groups: names)
    #expect(byName.rank(of: 0) == 1 && byName.rank(of: 29) == 1, "copies share their name's place")
    #expect(byName.rank(of: 30) == 2 && byName.rank(of: 32) == 4)
    #expect(RankPlaces(scores: similarities).rank(of: 30) == 31)
}
