import NexusCore
import NexusModules
import NexusTesting
import Testing

@testable import NexusBench

/// testdata/picker/followups.jsonl as `nexus bench picker` reads it: every tool it names is a real tool of tools.jsonl,
/// the halves are the even and the odd lines, a switch goes to another app, and a broken line is an error
/// naming the file and line.
@Suite struct PickerFollowupDataTests {
    static var data: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/NexusBenchTests/PickerFollowupDataTests.swift
        return parts.joined(separator: "/") + "/testdata/picker"
    }

    @Test func everyConversationNamesRealToolsAndTheHalvesAreEvenAndOddLines() async throws {
        let all = try PickerFollowupBenchmark.parse(Self.data + "/followups.jsonl")
        #expect(all.count >= 60)
        let real = Set(try ToolCatalogFile.loadTools(path: Self.data + "/tools.jsonl").map(\.name))
        for c in all {
            #expect(real.contains(c.expected), "\(c.query)")
            #expect(!c.earlier.isEmpty && c.earlier.count <= 2, "two or three turns: \(c.query)")
            for called in c.earlier.joined() { #expect(real.contains(called), "\(called)") }
        }
        guard case .success(let loaded) = await PickerFollowupBenchmark.load(data: Self.data, client: nil) else {
            Issue.record("followups.jsonl did not load")
            return
        }
        #expect(loaded.sets.map(\.0) == ["tuning", "holdout"])
        #expect(loaded.sets[0].1.map(\.query) == all.enumerated().filter { $0.offset % 2 == 0 }.map(\.element.query))
        #expect(loaded.sets[1].1.map(\.query) == all.enumerated().filter { $0.offset % 2 == 1 }.map(\.element.query))
    }

    @Test func aSwitchGoesToAnotherAppAndTheOthersStayWithTheConversationsApp() throws {
        for c in try PickerFollowupBenchmark.parse(Self.data + "/followups.jsonl") {
            let app = ToolIndex.splitName(c.expected).namespace
            let before = Set(c.earlier.joined().map { ToolIndex.splitName($0).namespace })
            if c.kind == "switch" {
                #expect(!before.contains(app), "\(c.query)")
            } else {
                #expect(before.contains(app), "\(c.query)")
            }
        }
    }

    @Test func aTurnAfterAnotherAppRemembersAToolOfAnotherApp() {
        let turns = [("a__x", "one"), ("a__y", "two"), ("b__z", "three"), ("c__w", "four")].map {
            ToolCatalogFile.LabelledQuery(query: $0.1, expected: $0.0)
        }
        let conversations = PickerFollowupBenchmark.afterAnotherApp(turns)
        #expect(conversations.map(\.earlier) == [[["b__z"]], [["c__w"]], [["a__x"]], [["a__y"]]])
    }

    @Test func aBrokenLineIsAnErrorNamingTheFileAndLine() {
        let tmp = TemporaryDirectory(prefix: "followups")
        defer { tmp.remove() }
        let path = tmp.write("f.jsonl", "{\"turns\": [], \"query\": \"x\", \"expected\": \"a__b\"}\n{\"query\": 1}\n")
        do {
            _ = try PickerFollowupBenchmark.parse(path)
            Issue.record("a broken line was read")
        } catch {
            #expect(error.userMessage.contains("f.jsonl") && error.userMessage.contains("2"), "\(error.userMessage)")
        }
    }
}
