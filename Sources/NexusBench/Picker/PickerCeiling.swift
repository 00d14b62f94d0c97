import NexusCore
import NexusModules

/// The most strict recall@5 any ranker can score on the realistic turns without knowing which app the user
/// uses, so the picker's figures can be read against what the labels allow.
///
/// A turn labelled `spotify__get_currently_playing` ("what's this song called") that names no app is answered
/// as well by eight other music apps' `get_currently_playing`, but counts only when Spotify's copy is in the
/// top five. A ranker that finds exactly the tool the turn wants, and shows `shown` copies of it, has Spotify's
/// among them with chance `shown / n` when `n` apps offer it: that is this bound, summed over the turns. The
/// rule for "the turn names the app" is the any-app column's (`PickerEvaluation.sameToolOfAnyApp`): a word of
/// the expected app's namespace appears in the turn. Mechanical, from the catalogue and the labels only.
enum PickerCeiling {
    struct Bound: Sendable {
        /// Turns whose tool more than one app offers under the same name, and that name none of the apps.
        let ambiguous: Int
        /// Median number of apps offering the tool, over the ambiguous turns.
        let medianApps: Int
        /// Expected strict recall@5 of a perfect app-blind ranker showing `shown` copies of the tool.
        let recall: Double
    }

    static func appBlind(tools: [ToolDefinition], turns: [ToolCatalogFile.LabelledQuery], shown: Int) -> Bound {
        var appsOffering: [String: Set<String>] = [:]
        for tool in tools {
            let (app, local) = ToolIndex.splitName(tool.name)
            if !app.isEmpty { appsOffering[local, default: []].insert(app) }
        }
        var expected = 0.0
        var counts: [Int] = []
        for turn in turns {
            let (app, local) = ToolIndex.splitName(turn.expected)
            let said = Set(ToolTokenizer.words(turn.query))
            let named = ToolTokenizer.words(app).contains { said.contains($0) }
            let n = appsOffering[local]?.count ?? 1
            if named || n <= 1 {
                expected += 1
            } else {
                expected += min(1, Double(shown) / Double(n))
                counts.append(n)
            }
        }
        counts.sort()
        return Bound(
            ambiguous: counts.count, medianApps: counts.isEmpty ? 0 : counts[counts.count / 2],
            recall: turns.isEmpty ? 0 : expected / Double(turns.count))
    }

    /// The bench row for one labelled set over one catalogue: the bound with the look-alike limit's two copies
    /// (p50 column) and with all five places given to copies (p99 column).
    static func row(set: String, catalogue: String, tools: [ToolDefinition], turns: [ToolCatalogFile.LabelledQuery])
        -> BenchRow
    {
        let two = appBlind(tools: tools, turns: turns, shown: 2)
        let five = appBlind(tools: tools, turns: turns, shown: 5)
        return BenchRow(
            name: "picker.\(set).\(catalogue).app_blind_ceiling", p50: (two.recall * 100).rounded() / 100,
            p99: (five.recall * 100).rounded() / 100, unit: "recall@5 bound: 2, 5 copies",
            note: "\(two.ambiguous) of \(turns.count) turns want a tool that several apps offer under the same name "
                + "(median \(two.medianApps) apps) and name none of them: without knowing the user's app a ranker "
                + "shows the labelled app's copy by chance")
    }
}
