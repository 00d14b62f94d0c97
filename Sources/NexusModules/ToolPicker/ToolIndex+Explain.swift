import NexusCore

/// Why the lexical picker ranked a turn's tools as it did: the turn's terms with their weights, the apps they point
/// to, and each top tool's score term by term. For `nexus bench picker` (NEXUS_PICKER_EXPLAIN) and for a person
/// asking why a tool was or was not offered; never on a turn's path.
extension ToolIndex {
    /// A few lines of text: terms, apps, then the best `k` tools with each term's share of their score.
    public func explain(query: String, k: Int = 5) -> String {
        var names = [String](repeating: "", count: postings.count)
        for (term, id) in termIDs { names[Int(id)] = term }
        let grouped = queryTerms(query)
        var out = "explain: \(query)\n  terms:"
        for (id, w, g) in grouped {
            let share = englishShare.isEmpty ? 1 : englishShare[Int(id)]
            out += " \(names[Int(id)])=\(ExplainText.short(w))"
            if share < 1 { out += "(en \(ExplainText.short(share)))" }
            if router.namesAnApp(id) { out += "[app]" }
            out += "/g\(g)"
        }
        let weighted = grouped.map { ($0.id, $0.weight * (englishShare.isEmpty ? 1 : englishShare[Int($0.id)])) }
        let apps = router.scores(weighted).sorted { $0.value > $1.value }.prefix(5)
        out +=
            "\n  apps: "
            + apps.map { "\(router.apps[Int($0.key)])=\(ExplainText.short($0.value))" }
            .joined(separator: " ")
        for m in rank(query: query, k: k) {
            out += "\n  \(tools[m.index].name) \(ExplainText.short(Float(m.score))):"
            for (id, w, _) in grouped {
                guard let p = postings[Int(id)].first(where: { $0.doc == Int32(m.index) }) else { continue }
                out += " \(names[Int(id)])+\(ExplainText.short(w * p.weight))"
            }
        }
        return out + "\n"
    }
}

/// Short numbers for `explain`.
enum ExplainText {
    static func short(_ v: Float) -> String {
        let r = (v * 100).rounded() / 100
        return "\(r)"
    }
}
