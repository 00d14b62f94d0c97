/// A tool's place in one half's whole ranking, from that half's score of every tool: what reciprocal-rank fusion
/// (`HybridRanker`) needs for a tool the other half found.
///
/// Each half hands the fusion its best few dozen. With 9,000 tools, a tool the lexical half likes can sit at semantic
/// place 120, below the semantic list's depth, and a tool the semantic half likes can match one word of the turn and
/// sit at lexical place 80. Cut off, such a place counts as nothing, the same as a tool unrelated to the turn; kept,
/// it still counts for something (1 / (k0 + 120)), and the other half's favourite is told apart from a tool that
/// only one half noticed at all. Only positive scores count: a tool the half did not match gets no place.
///
/// The place also answers "which of these tools" inside a subset (`ranks(among:)`, the tools of one app).
struct RankPlaces {
    /// Tool index → the half's score (0 or less: not matched).
    let scores: [Float]
    /// Tool index → its group (one tool name across apps, `ToolIndex.localNames`), when places count groups.
    private let groups: [Int32]?
    /// Group → the best score of its tools.
    private let groupBest: [Float]
    /// The positive scores (of tools, or of groups), best first.
    private let descending: [Float]

    /// With `groups`, a place counts the groups scored above a tool, not the tools: ten apps' copies of one tool
    /// name are one answer given ten times, and push a tool down one place, not ten.
    init(scores: [Float], groups: [Int32]? = nil) {
        self.scores = scores
        guard let groups, groups.count == scores.count else {
            self.groups = nil
            groupBest = []
            descending = scores.filter { $0 > 0 }.sorted(by: >)
            return
        }
        var best = [Float](repeating: 0, count: Int(groups.max() ?? -1) + 1)
        for (i, s) in scores.enumerated() where groups[i] >= 0 && s > best[Int(groups[i])] { best[Int(groups[i])] = s }
        self.groups = groups
        groupBest = best
        descending = best.filter { $0 > 0 }.sorted(by: >)
    }

    /// One more than the number of tools (or groups other than its own) scored above tool `d`; ties share a place.
    /// Nil when `d` is not matched.
    func rank(of d: Int) -> Int? {
        guard d >= 0, d < scores.count else { return nil }
        let s = scores[d]
        guard s > 0 else { return nil }
        // The first position whose score is not above `s`, by bisection of the descending list.
        var (lo, hi) = (0, descending.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if descending[mid] > s { lo = mid + 1 } else { hi = mid }
        }
        if let groups, groups[d] >= 0, groupBest[Int(groups[d])] > s { lo -= 1 }
        return lo + 1
    }

    /// `tools` ranked among themselves, best first, as (tool, place from 1); ties keep the lower index first, and
    /// tools not matched get no place.
    func ranks(among tools: [Int32]) -> [(tool: Int, rank: Int)] {
        let matched = tools.map(Int.init).filter { $0 >= 0 && $0 < scores.count && scores[$0] > 0 }
        let sorted = matched.sorted { a, b in scores[a] > scores[b] || (scores[a] == scores[b] && a < b) }
        return sorted.enumerated().map { (tool: $0.element, rank: $0.offset + 1) }
    }
}
