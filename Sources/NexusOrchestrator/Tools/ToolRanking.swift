import NexusCore

/// Chooses which tool schemas to send when there are more than a turn's budget.
/// Delegates to the module tool picker's index once modules are wired; this keyword overlap is the
/// floor that keeps built-ins first.
enum ToolRanking {
    static func top(_ tools: [ToolDefinition], for query: String, k: Int) -> [ToolDefinition] {
        let words = Set(query.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        let scored = tools.enumerated().map { (i, t) -> (Int, Int) in
            let hay = (t.name + " " + t.description).lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            return (hay.filter { words.contains(String($0)) }.count, i)
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.prefix(k).map { tools[$0.1] }
    }
}
