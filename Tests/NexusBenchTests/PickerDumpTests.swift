import NexusCore
import NexusModules
import NexusPOSIX
import NexusTesting
import Testing

@testable import NexusBench

/// NEXUS_PICKER_DUMP: each turn's first-stage top 20, in the ranker's order, for offline second-stage trials.
@Suite struct PickerDumpTests {
    static let tools = [
        ToolDefinition(name: "gmail__send_email", description: "Send an email to a recipient."),
        ToolDefinition(name: "slack__post_message", description: "Post a message to a channel."),
    ]
    static let turns = [ToolCatalogFile.LabelledQuery(query: "ping #ops", expected: "slack__post_message")]

    @Test func theDumpHoldsEachTurnsCandidatesInTheRankersOrderWithTheirTexts() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        PickerDump.write(
            ["NEXUS_PICKER_DUMP": dir.path + "/d"], set: "tuning", catalogue: "real", mode: "hybrid",
            tools: Self.tools, turns: Self.turns, progress: { _ in }, rank: { _, k in Array([1, 0].prefix(k)) })
        let text = try FileSystem.readText(dir.path + "/d-tuning-real-hybrid.jsonl")
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let line = try JSONValue(parsing: String(lines[0]))
        #expect(line["query"]?.stringValue == "ping #ops")
        #expect(line["expected"]?.stringValue == "slack__post_message")
        let candidates = line["candidates"]?.arrayValue ?? []
        #expect(candidates.compactMap { $0["name"]?.stringValue } == ["slack__post_message", "gmail__send_email"])
        #expect(candidates.first?["description"]?.stringValue == "Post a message to a channel.")
        #expect(candidates.first?["text"]?.stringValue == ToolText.embedding(of: Self.tools[1]))
    }

    @Test func withoutTheVariableNothingIsWrittenAndTheRankerIsNotCalled() {
        var called = false
        PickerDump.write(
            [:], set: "tuning", catalogue: "real", mode: "hybrid", tools: Self.tools, turns: Self.turns,
            progress: { _ in },
            rank: { _, _ in
                called = true
                return []
            })
        #expect(!called)
    }
}
