import NexusCore
import NexusModules
import NexusOrchestrator

/// `picker.turn_lexical`: what a turn's tool pick costs as the orchestrator runs it (`LexicalPickerTurn`): the
/// offered list read from the sources and the lexical pick over it, not the index alone, over the realistic
/// catalogue with its distractors (9,197 tools). `….unversioned` is the same over a source that cannot say when its
/// list changed and hands back a new list every turn (none of nexus's own: the module host, the built-ins and
/// `search_tools` keep a version), so the whole list is compared byte for byte each turn: the fallback's price.
enum PickerTurnCost {
    /// The catalogue as a module host offers it: one list, with a version or without one.
    struct Catalogue: ToolSource {
        let list: [ToolDefinition]
        let version: Int?

        func tools() async -> [ToolDefinition] {
            // A source without a version builds its list anew (a copy that shares no storage with the last one).
            version == nil ? list.map { $0 } : list
        }
        func versionedTools() async -> VersionedTools { VersionedTools(version: version, tools: await tools()) }
        func owns(_ toolName: String) async -> Bool { false }
        func call(_ call: ToolCall, approval: any ApprovalHandler) async -> ToolResult {
            ToolResult(callID: call.id, name: call.name, content: "benchmark catalogue: no calls", isError: true)
        }
    }

    static let target = "p50 ≤ 1 ms"

    /// The rows over testdata/picker's tools and turns with bench/toolpicker's distractors (`fixtures`).
    static func run(fixtures: String) async -> [BenchRow] {
        let root = fixtures.hasSuffix("/bench/toolpicker") ? String(fixtures.dropLast("/bench/toolpicker".count)) : "."
        let data = root + "/testdata/picker"
        do {
            let catalogue = try PickerEvaluation.catalogue(
                realPath: data + "/tools.jsonl", syntheticPath: fixtures + "/catalog.jsonl")
            let turns = try ToolCatalogFile.loadQueries(path: data + "/tuning.jsonl").map(\.query)
            return await rows(tools: catalogue.all, turns: turns)
        } catch {
            return [.couldNotRun("picker.turn_lexical", target: target, reason: error.userFacingDescription)]
        }
    }

    static func rows(tools: [ToolDefinition], turns: [String], rounds: Int = 5) async -> [BenchRow] {
        guard !turns.isEmpty else { return [.couldNotRun("picker.turn_lexical", target: target, reason: "no turns")] }
        var rows: [BenchRow] = []
        for (suffix, version) in [("", Optional(ToolsGeneration.next())), (".unversioned", nil)] {
            let turn = LexicalPickerTurn(
                sources: [BuiltinTools(), Catalogue(list: tools, version: version)],
                maxTools: NexusConfig().modules.maxToolsPerTurn)
            let t0 = MonotonicClock.nanoseconds()
            _ = await turn.run(turns[0])
            let firstMs = MonotonicClock.millisSince(t0)
            var samples: [Double] = []
            for _ in 0..<rounds {
                for q in turns {
                    let t = MonotonicClock.nanoseconds()
                    _ = await turn.run(q)
                    samples.append(MonotonicClock.millisSince(t))
                }
            }
            let stats = Stats(samples)
            rows.append(
                BenchRow(
                    name: "picker.turn_lexical" + suffix, p50: stats.percentile(0.5), p99: stats.percentile(0.99),
                    target: suffix.isEmpty ? target : "",
                    passed: suffix.isEmpty ? BenchRow.atMost(stats.percentile(0.5), 1) : nil,
                    note: "per turn: offered list + lexical pick of \(tools.count + 2) tools, \(samples.count) turns"
                        + (suffix.isEmpty ? "" : " (a new list each turn, compared whole)")
                        + "; the first turn (cut, index build) took \(BenchTable.fmt(firstMs)) ms"))
        }
        return rows
    }
}
