import NexusCore
import Testing

@testable import NexusModules

private func tool(_ name: String, _ description: String) -> ToolDefinition {
    ToolDefinition(name: name, description: description)
}

/// 120 look-alike apps take the semantic list's first 120 places; the tool the turn describes comes 121st, the tool
/// that shares the turn's rarest word is not similar at all. Lexically the rare word wins. A semantic half read
/// only to its depth (100) says nothing about either, and the rare word decides; a place, however deep, says the
/// described tool is related and the other is not.
@Test func aToolTheLexicalHalfFindsKeepsItsSemanticPlaceBelowTheListsDepth() {
    let lookAlikes = (0..<120).map { tool("sync\($0)__sync_records", "Keep the workspace's records in step.") }
    let described = tool("sheets__export_table", "Export a table to a spreadsheet file.")
    let sharesAWord = tool("books__archive_ledger", "Archive a closed ledger.")
    let other = tool("backup__export_backup", "Export a backup of everything.")
    let tools = lookAlikes + [described, sharesAWord, other]
    let vectors: [[Float]?] =
        lookAlikes.indices.map { [1, Float($0) * 0.005] } + [[1, 0.9], [0, 1], [0, 1]]
    var hybrid = HybridRanker(lexical: ToolIndex(tools), semantic: SemanticIndex(dimension: 2, vectors: vectors))
    let turn = "export the ledger"
    let place = { (h: HybridRanker, name: String) in
        h.rank(query: turn, vector: [1, 0], k: tools.count).firstIndex { tools[$0.index].name == name } ?? .max
    }
    #expect(hybrid.lexical.rank(query: turn, k: 1).first.map { tools[$0.index].name } == sharesAWord.name)
    #expect(place(hybrid, described.name) < place(hybrid, sharesAWord.name))
    // Read only to its depth, the semantic half leaves the rare word to decide.
    hybrid.fullSemanticRanks = false
    #expect(place(hybrid, sharesAWord.name) < place(hybrid, described.name))
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
    let lookAlikes = (0..<60).map { tool("tracker\($0)__open_ticket", "Open a ticket for a team.") }
    let sharesAWord = tool("linear__export_log", "Export the Linear workspace's audit log.")
    let described = tool("linear__create_issue", "Create a Linear issue in a team.")
    let third = tool("linear__list_projects", "List Linear projects.")
    let tools = lookAlikes + [sharesAWord, described, third]
    let vectors: [[Float]?] =
        lookAlikes.indices.map { [1, Float($0) * 0.01] } + [[0.1, 1], [1, 0.9], [0.2, 1]]
    var hybrid = HybridRanker(lexical: ToolIndex(tools), semantic: SemanticIndex(dimension: 2, vectors: vectors))
    let turn = "log a bug in linear"
    let place = { (h: HybridRanker, name: String) in
        h.rank(query: turn, vector: [1, 0], k: tools.count).firstIndex { tools[$0.index].name == name } ?? .max
    }
    #expect(hybrid.appScope == .none)
    #expect(place(hybrid, sharesAWord.name) < place(hybrid, described.name), "by default the shared word decides")
    hybrid.appScope = .named
    #expect(place(hybrid, described.name) < place(hybrid, sharesAWord.name))
    #expect(place(hybrid, described.name) == 0)
}
