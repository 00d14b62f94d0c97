/// Which installed app a turn names, so that app's tools rank above look-alikes of other apps.
///
/// Learned from the catalogue, not from a hand list: each app (a tool name's `app__` namespace) is the set of
/// its tools' names and descriptions. A term points to an app as much as the app's tools carry it (coverage,
/// saturating) and as much as the tools carrying it are that app's (purity, squared). So "slack", "gmail" and
/// "github" point hard at their apps (every tool of the app carries them, few others do), while a namespace
/// that is an everyday word ("last" of last_fm, "things", "box", "line") points nowhere: most tools carrying it
/// belong to other apps, whose descriptions use the word in its ordinary sense.
struct AppRouter: Sendable {
    /// Namespaces, by app id.
    let apps: [String]
    /// Namespace → app id.
    let appIDs: [String: Int32]
    /// Tool index → app id, -1 for a tool without a namespace (built-ins).
    let appOfTool: [Int32]
    /// App id → indices of its tools.
    let toolsOfApp: [[Int32]]
    /// Term id → (app, weight) for the apps whose tools carry the term.
    let postings: [[(app: Int32, weight: Float)]]

    /// `termsOfTool[d]` are the term ids of tool `d`'s namespace, name and description; `namespaces[d]` its app.
    init(namespaces: [String], termsOfTool: [Set<Int32>], termCount: Int) {
        var ids: [String: Int32] = [:]
        var apps: [String] = []
        var appOfTool = [Int32](repeating: -1, count: namespaces.count)
        var toolsOfApp: [[Int32]] = []
        for (d, ns) in namespaces.enumerated() where !ns.isEmpty {
            let id: Int32
            if let known = ids[ns] {
                id = known
            } else {
                id = Int32(apps.count)
                ids[ns] = id
                apps.append(ns)
                toolsOfApp.append([])
            }
            appOfTool[d] = id
            toolsOfApp[Int(id)].append(Int32(d))
        }
        // coverage[term][app] = share of the app's tools whose text carries the term.
        var counts = [[Int32: Int]](repeating: [:], count: termCount)
        for (d, terms) in termsOfTool.enumerated() where appOfTool[d] >= 0 {
            for t in terms { counts[Int(t)][appOfTool[d], default: 0] += 1 }
        }
        postings = counts.map { perApp in
            guard !perApp.isEmpty else { return [] }
            let total = Float(perApp.values.reduce(0, +))
            return perApp.compactMap { app, count in
                let coverage = Float(count) / Float(max(toolsOfApp[Int(app)].count, 1))
                let purity = Float(count) / total
                let weight = coverage / (coverage + 0.25) * purity * purity
                return weight >= 0.05 ? (app, weight) : nil
            }.sorted { $0.app < $1.app }
        }
        self.apps = apps
        appIDs = ids
        self.appOfTool = appOfTool
        self.toolsOfApp = toolsOfApp
    }

    /// Each app's score for weighted query terms, for the apps with any evidence; `skip(term, app)` leaves a term's
    /// evidence for an app out.
    func scores(_ terms: [(Int32, Float)], skip: (Int32, Int32) -> Bool = { _, _ in false }) -> [Int32: Float] {
        var out: [Int32: Float] = [:]
        for (id, qw) in terms where Int(id) < postings.count {
            for p in postings[Int(id)] where !skip(id, p.app) { out[p.app, default: 0] += qw * p.weight }
        }
        return out
    }

    /// Whether the term points hard at one app (its name, or a word only that app's tools use).
    func namesAnApp(_ id: Int32) -> Bool {
        Int(id) < postings.count && postings[Int(id)].contains { $0.weight >= 0.3 }
    }
}
