import NexusCore
import Testing

@testable import NexusOrchestrator

/// Found while fuzzing the tool picker (fuzz/PickerFuzz.swift): a module's description of one "character" — a
/// letter and 100,000 pairs of combining marks of two classes, 400 KB — passed the 2,000-character cut whole. It
/// went to the model on every step, and the picker hashed it on every turn (`ToolRanking.lexical`'s signature):
/// Swift hashes a string in canonical order, the square of such a run (9 s for this one, a minute for 1 MB).
@Test func aDescriptionOfOneHugeCharacterIsCutAndRankedQuickly() {
    let marks = "a" + String(repeating: "\u{301}\u{316}", count: 100_000)
    let limit = ToolBudget.descriptionCharacters
    let cut = ToolBudget.cut(marks, to: limit, what: "tool description")
    #expect(cut.unicodeScalars.count < 4 * limit + 100)
    let noted = cut.hasSuffix("[nexus: tool description cut to \(4 * limit) code points; 192001 more left out]")
    #expect(noted)
    #expect(ToolBudget.cut(String(repeating: "é", count: 3_000), to: limit, what: "x").hasSuffix("1000 more left out]"))
    let tools = [
        ToolDefinition(name: "notes__create_note", description: cut),
        ToolDefinition(name: "notes__list_notes", description: "List your notes."),
    ]
    let clock = ContinuousClock()
    let start = clock.now
    let picked = ToolRanking().top(tools, for: "create a note", k: 1).map(\.name)
    #expect(clock.now - start < .seconds(2))
    #expect(picked.first == "notes__create_note")
}

/// The same shape as a turn, or as the query the model writes for `search_tools`: cut by code points before it is
/// ranked or embedded (the character-counted cuts let one huge "character" through whole).
@Test func aTurnOrASearchOfOneHugeCharacterIsCutBeforeItIsRankedOrEmbedded() {
    let marks = "a" + String(repeating: "\u{301}\u{316}", count: 100_000)
    #expect(marks.count == 1)
    #expect(ToolRanking.focus(marks).unicodeScalars.count == ToolRanking.maxQueryCharacters)
    #expect(ToolSearchSource.cut(marks).unicodeScalars.count == 1_000)
    let plain = String(repeating: "x", count: 10)
    #expect(ToolRanking.focus(plain) == plain && ToolSearchSource.cut(plain) == plain)
    // What a long turn keeps is its end, where the request is; a search keeps the model's first words.
    let long = String(repeating: "context ", count: 1_000) + "send the report"
    #expect(ToolRanking.focus(long).hasSuffix("send the report"))
}
