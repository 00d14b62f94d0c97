import NexusCore
import NexusModules
import NexusTelemetry

/// What a turn of one unknown word repeated costs the lexical picker: a pasted log ("calender" 10,000 times, cut to
/// the picker's last 4,000 characters as `ToolRanking.focus` cuts it, about 440 repeats) over the old synthetic
/// catalogue of 10,000 tools, beside an ordinary turn of that length. Each unknown word is looked up for typos once a
/// turn (`TypoMatcher.Memo`); before, once per repeat.
enum PickerTypoCost {
    static let name = "picker.repeated_unknown_word"

    static func row(fixtures: String?, rounds: Int = 50) -> BenchRow {
        guard let dir = fixtures else {
            return .couldNotRun(name, reason: "bench/toolpicker/catalog.jsonl not found (run from the repository root)")
        }
        let tools: [ToolDefinition]
        do {
            tools = try ToolCatalogFile.loadTools(path: dir + "/catalog.jsonl")
        } catch {
            return .couldNotRun(name, reason: error.userFacingDescription)
        }
        let index = ToolIndex(tools)
        let turn = String(
            String.UnicodeScalarView(String(repeating: "calender ", count: 10_000).unicodeScalars.suffix(4000)))
        let plain = "calender"
        // An ordinary long turn for scale: the catalogue's own descriptions, cut the same way.
        var prose = ""
        for tool in tools where prose.unicodeScalars.count < 4000 { prose += tool.description + " " }
        prose = String(String.UnicodeScalarView(prose.unicodeScalars.suffix(4000)))
        var sink = 0
        func time(_ query: String) -> Stats {
            var samples: [Double] = []
            for _ in 0..<rounds {
                let t = MonotonicClock.nanoseconds()
                sink &+= index.rank(query: query, k: 5).count
                samples.append(MonotonicClock.millisSince(t))
            }
            return Stats(samples)
        }
        _ = time(turn)
        let repeated = time(turn)
        let once = time(plain)
        let long = time(prose)
        _ = sink
        return BenchRow(
            name: name, p50: repeated.percentile(0.5), p99: repeated.percentile(0.99),
            note: "lexical rank of one unknown word repeated \(turn.split(separator: " ").count) times (4,000 "
                + "characters) over \(tools.count) tools, \(rounds) rounds; the word alone: "
                + "\(BenchTable.fmt(once.percentile(0.5))) ms p50; 4,000 characters of tool descriptions: "
                + "\(BenchTable.fmt(long.percentile(0.5))) ms p50")
    }
}
