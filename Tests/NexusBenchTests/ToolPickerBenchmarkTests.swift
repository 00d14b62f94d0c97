import NexusCore
import NexusTesting
import Testing

@testable import NexusBench

/// `nexus bench picker`'s synthetic rows: the 10,000-tool catalogue meets its recall, and a broken fixture is
/// an error naming the file and line, never a crash or a silent zero.
@Suite struct ToolPickerBenchmarkTests {
    /// bench/toolpicker/ of this checkout, found from this file's path.
    static func benchDirectory(file: String = #filePath) -> String {
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/NexusBenchTests/ToolPickerBenchmarkTests.swift
        return parts.joined(separator: "/") + "/bench/toolpicker"
    }

    @Test func tenThousandToolsMeetRecallOnTheLabelledQueries() throws {
        let dir = Self.benchDirectory()
        let report = try ToolPickerBenchmarks.measure(
            catalogPath: dir + "/catalog.jsonl", queriesPath: dir + "/queries.jsonl", rounds: 1)
        #expect(report.tools == 10_000 && report.queries >= 100)
        #expect(report.recallAt5 >= 0.9, "misses: \(report.misses.map(\.query))")
    }

    @Test func aMissingCatalogueIsAnErrorNamingTheFile() {
        let tmp = TemporaryDirectory(prefix: "toolpicker-bench")
        defer { tmp.remove() }
        let queries = tmp.write("q.jsonl", "{\"query\":\"x\",\"expected\":\"a__b\"}\n")
        do {
            _ = try ToolPickerBenchmarks.measure(catalogPath: tmp.path + "/none.jsonl", queriesPath: queries)
            Issue.record("a missing catalogue was measured")
        } catch {
            #expect(error.userMessage.contains("none.jsonl"))
        }
    }
}
