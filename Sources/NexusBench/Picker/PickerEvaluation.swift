import NexusCore
import NexusModules

/// Scores a ranking of tools against labelled turns: recall@1, recall@5, MRR@10, pick latency, and the misses
/// with what was picked instead, so a benchmark says both how well the picker does and where it fails.
///
/// The data is testdata/picker/ (real-ish tools, tuning and holdout turns) plus, as distractors, the synthetic
/// catalogue bench/toolpicker/catalog.jsonl less every app that shares a namespace with the real tools.
public enum PickerEvaluation {
    /// One labelled set scored by one ranker.
    public struct Score: Sendable {
        public var queries: Int
        public var recallAt1: Double
        public var recallAt5: Double
        /// recall@5 where a look-alike counts (`sameToolOfAnyApp`): a second column, never the target.
        public var recallAt5AnyApp: Double
        /// recall@20: what a perfect reranking of the top 20 could raise recall@5 to.
        public var recallAt20: Double
        public var mrrAt10: Double
        public var p50Ms: Double
        public var p99Ms: Double
        public var misses: [Miss]
    }

    /// A turn whose expected tool was not in the top five, with the five that were picked.
    public struct Miss: Sendable {
        public let query: String
        public let expected: String
        public let picked: [String]
    }

    /// The real tools, and the same followed by the distractors.
    public struct Catalogue: Sendable {
        public let real: [ToolDefinition]
        public let distractors: [ToolDefinition]
        public var all: [ToolDefinition] { real + distractors }
    }

    /// Loads `tools.jsonl` and the synthetic catalogue without the apps the real tools already have.
    public static func catalogue(realPath: String, syntheticPath: String) throws(ToolCatalogError) -> Catalogue {
        let real = try ToolCatalogFile.loadTools(path: realPath)
        let apps = Set(real.map { ToolIndex.splitName($0.name).namespace })
        let synthetic = try ToolCatalogFile.loadTools(path: syntheticPath)
        return Catalogue(
            real: real, distractors: synthetic.filter { !apps.contains(ToolIndex.splitName($0.name).namespace) })
    }

    /// Runs `rank` (query, k → tool indices best first) over `turns`, timing each call `rounds` times.
    public static func score(
        tools: [ToolDefinition], turns: [ToolCatalogFile.LabelledQuery], rounds: Int = 5,
        rank: (String, Int) -> [Int]
    ) -> Score {
        var hits1 = 0
        var hits5 = 0
        var hitsAnyApp = 0
        var hits20 = 0
        var reciprocal = 0.0
        var misses: [Miss] = []
        for turn in turns {
            let deep = rank(turn.query, 20).map { tools[$0].name }
            if deep.contains(turn.expected) { hits20 += 1 }
            if deep.prefix(5).contains(where: { sameToolOfAnyApp($0, turn.expected, turn: turn.query) }) {
                hitsAnyApp += 1
            }
            let names = Array(deep.prefix(10))
            if names.first == turn.expected { hits1 += 1 }
            if let at = names.firstIndex(of: turn.expected) { reciprocal += 1 / Double(at + 1) }
            if names.prefix(5).contains(turn.expected) {
                hits5 += 1
            } else {
                misses.append(Miss(query: turn.query, expected: turn.expected, picked: Array(names.prefix(5))))
            }
        }
        var samples: [Double] = []
        var sink = 0
        for _ in 0..<max(rounds, 1) {
            for turn in turns {
                let t0 = MonotonicClock.nanoseconds()
                sink &+= rank(turn.query, 5).count
                samples.append(MonotonicClock.millisSince(t0))
            }
        }
        _ = sink
        let stats = Stats(samples)
        let n = Double(max(turns.count, 1))
        return Score(
            queries: turns.count, recallAt1: Double(hits1) / n, recallAt5: Double(hits5) / n,
            recallAt5AnyApp: Double(hitsAnyApp) / n, recallAt20: Double(hits20) / n, mrrAt10: reciprocal / n,
            p50Ms: samples.isEmpty ? .nan : stats.percentile(0.5),
            p99Ms: samples.isEmpty ? .nan : stats.percentile(0.99),
            misses: misses)
    }

    /// The documented, mechanical equivalence of the "any app the turn allows" column: `picked` stands for
    /// `expected` when both are the same tool (identical name after the `app__` namespace) and the turn does not
    /// name the expected app (no word of its namespace, e.g. "gmail" or "drive" of google_drive, appears in the
    /// turn). "email the landlord…" allows any mail app's send_email; "…in gmail" allows only Gmail's.
    public static func sameToolOfAnyApp(_ picked: String, _ expected: String, turn: String) -> Bool {
        if picked == expected { return true }
        let (pApp, pTool) = ToolIndex.splitName(picked)
        let (eApp, eTool) = ToolIndex.splitName(expected)
        guard pTool == eTool, !pApp.isEmpty, !eApp.isEmpty else { return false }
        let said = Set(ToolTokenizer.words(turn))
        return !ToolTokenizer.words(eApp).contains { said.contains($0) }
    }
}
