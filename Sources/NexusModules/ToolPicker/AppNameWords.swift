/// Which of an app's names a typed word can be only by accident, and whether the rest of a turn backs it up.
///
/// An app is named by its namespace ("last_fm", "checkout_com", "mongodb_atlas", "google_calendar"). A turn that types
/// the whole name ("lastfm", "last.fm", "linear"), the last word of a name that says what the app is ("calendar" of
/// Google Calendar) or a part that is no English word ("mongodb") means the app. Another part of the name that is an
/// English word ("last" of Last.fm, "checkout" of Checkout.com, "db" of MongoDB Atlas) may mean it, or may be the
/// plain word: "we need 5 replicas of checkout" is about a service called checkout, "when was my last one-on-one"
/// about a meeting. Such a word names its app only when the rest of the turn also matches the app's tool, in the
/// tool's own text (its name and description, not the app's name): "refund that checkout payment" does, "replicas
/// of checkout" does not. A part the app's own tools use as a plain word (or a word it means: `ToolSynonyms`) is what
/// the app holds, and names it. Learned from the catalogue, its synonyms and an English word list
/// (`EnglishWordFrequency`), never from a hand list of apps. (Whole names that are everyday words, "linear", are left
/// to the English cap, `ToolIndex.Routing.englishSpan`: "paypal" is as common, and always meant.)
struct AppNameWords: Sendable {
    /// A query term as `ToolIndex.queryTerms` gives it.
    typealias Term = (id: Int32, weight: Float, group: Int)
    /// Weak names of a turn that stand alone: term id → the apps and the term's group (`alone`).
    typealias Lone = [Int32: (apps: [Int32], group: Int)]
    /// Term id → the apps it names only weakly: an English word that is part of the name and nothing more.
    let weakNames: [Int32: [Int32]]
    /// Term id → the apps whose name it is part of, weakly or not: never evidence of its own for those apps.
    let nameParts: [Int32: [Int32]]
    /// Tool index → the term ids of its own text (tool name and description), sorted.
    let ownTerms: [[Int32]]

    /// `router` says which terms name which app and `synonyms` which words mean one another; `texts[d]` is tool
    /// `d`'s own text (its name without the app, and its description) and `ownTerms[d]` its term ids.
    init(router: AppRouter, termIDs: [String: Int32], texts: [String], ownTerms: [[Int32]], synonyms: ToolSynonyms) {
        var outright: [Int32: Set<Int32>] = [:]
        var joinedName: [String] = []
        for (app, ns) in router.apps.enumerated() {
            // The name as one word ("lastfm", "mongodbatlas", "linear"), as typed and as the stemmer makes it.
            let words = ToolTokenizer.words(ns)
            let joined = words.joined()
            joinedName.append(joined)
            var names = ToolTokenizer.terms(joined) + [joined]
            // The last of several words says what the app is (Google Calendar, Facebook Pages, MongoDB Atlas): typed
            // alone it names the app by its kind. A domain ending (Last.fm, Checkout.com) leaves no such word.
            if words.count > 1, let head = words.last, !TurnShapes.topLevelDomains.contains(head) {
                names += ToolTokenizer.terms(head)
            }
            for term in names {
                if let id = termIDs[term] { outright[Int32(app), default: []].insert(id) }
            }
        }
        // The terms each app's tools use as plain words, outside the app's name: google_calendar's "calendar"
        // ("list the events of a calendar"), not last_fm's "last" (only ever in "Last.fm").
        var plain = [Set<Int32>](repeating: [], count: router.apps.count)
        for (d, text) in texts.enumerated() where d < router.appOfTool.count && router.appOfTool[d] >= 0 {
            let app = router.appOfTool[d]
            for word in Self.wordsOutsideName(text, name: joinedName[Int(app)]) {
                ToolTokenizer.term(Array(word.utf8)) { if let id = termIDs[$0] { plain[Int(app)].insert(id) } }
            }
        }
        var weak: [Int32: [Int32]] = [:]
        var parts: [Int32: [Int32]] = [:]
        for (term, id) in termIDs where Int(id) < router.postings.count {
            for p in router.postings[Int(id)] where p.weight >= 0.3 {
                let joined = joinedName[Int(p.app)]
                guard term.utf8.count >= 2, joined.utf8.count <= Self.longestName, joined.contains(term) else {
                    continue
                }
                parts[id, default: []].append(p.app)
                guard !(outright[p.app]?.contains(id) ?? false) else { continue }
                // The word, or a word it means ("sheet": spreadsheet, and back), in the app's own text outside its name.
                // Not a one-way association: "tomorrow" suggests forecasts, a forecast is no tomorrow.
                let meant =
                    [term]
                    + (synonyms.expansions[term] ?? []).filter { synonyms.expansions[$0]?.contains(term) ?? false }
                let usedPlainly = meant.contains { termIDs[$0].map { plain[Int(p.app)].contains($0) } ?? false }
                // A part that is no English word ("mongodb" of mongodb_atlas) is as good as the whole name.
                if !usedPlainly && EnglishWordFrequency.zipf(ofTerm: term) != nil {
                    weak[id, default: []].append(p.app)
                }
            }
        }
        weakNames = weak
        nameParts = parts
        self.ownTerms = ownTerms
    }

    /// The words of `text` outside every run of words that spells `name` ("Mongo", "DB", "Atlas" for
    /// "mongodbatlas"; "Last", "fm" for "lastfm"). A name longer than `longestName` bytes is nobody's typed name and
    /// spells nothing: a module's text is hostile, and the scan stays linear in it.
    static func wordsOutsideName(_ text: String, name: String) -> [String] {
        let words = ToolTokenizer.words(text)
        let spelling = Array(name.utf8)
        guard !spelling.isEmpty, spelling.count <= longestName else { return words }
        let bytes = words.map { Array($0.utf8) }
        var inName = [Bool](repeating: false, count: words.count)
        for i in words.indices {
            var at = 0
            var j = i
            while j < bytes.count, at + bytes[j].count <= spelling.count,
                spelling[at..<(at + bytes[j].count)].elementsEqual(bytes[j])
            {
                at += bytes[j].count
                j += 1
                if at == spelling.count {
                    for k in i..<j { inName[k] = true }
                    break
                }
            }
        }
        return words.indices.filter { !inName[$0] }.map { words[$0] }
    }

    /// The longest app name, in bytes, whose spelling is looked for in its tools' text.
    static let longestName = 64

    /// The turn's weak names and the apps they stand for alone: no other term of the turn points to the app
    /// (`router`), so only a tool's own text can back the name up.
    func alone(in terms: [Term], router: AppRouter) -> Lone {
        var out: Lone = [:]
        for t in terms {
            guard let apps = weakNames[t.id] else { continue }
            let backed = apps.filter { app in
                terms.contains { u in
                    u.group != t.group && !(nameParts[u.id]?.contains(app) ?? false)
                        && Int(u.id) < router.postings.count
                        && router.postings[Int(u.id)].contains { $0.app == app && $0.weight >= 0.05 }
                }
            }
            let alone = apps.filter { !backed.contains($0) }
            if !alone.isEmpty { out[t.id] = (alone, t.group) }
        }
        return out
    }

    /// The terms of a turn that can back up its weak names: `terms` less what only a one-way association put there
    /// (`ToolIndex.backingTerms`, unless `Routing.oneWayBacking`); `terms` itself when the turn holds no weak name.
    func backing(_ query: String, _ terms: [Term], index: ToolIndex) -> [Term] {
        guard index.routing.oneWayBacking < 1, terms.contains(where: { weakNames[$0.id] != nil }) else { return terms }
        return index.backingTerms(query, terms)
    }

    /// Whether tool `d` of `app` matches a term of the turn outside `group` in its own text, that is not a name
    /// of the app.
    func backs(_ d: Int32, app: Int32, group: Int, terms: [Term]) -> Bool {
        guard Int(d) < ownTerms.count else { return false }
        let own = ownTerms[Int(d)]
        return terms.contains { u in
            u.group != group && !(nameParts[u.id]?.contains(app) ?? false) && Self.contains(own, u.id)
        }
    }

    static func contains(_ sorted: [Int32], _ id: Int32) -> Bool {
        var (lo, hi) = (0, sorted.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == id
    }
}

/// One turn's weak app names (`AppNameWords.alone`) and which of their apps' tools the turn backs up: the apps a
/// weak name alone points to, and the tools of those apps whose own text matches the rest of the turn.
struct WeakNaming {
    var lone: AppNameWords.Lone = [:]
    var apps = Set<Int32>()
    var backed = Set<Int32>()
    var appOfTool: [Int32] = []

    /// Whether `term`'s evidence for `app` is a weak name none of the app's tools backs up.
    func unbacked(term: Int32, app: Int32) -> Bool {
        guard let weak = lone[term], weak.apps.contains(app) else { return false }
        return !backed.contains { appOfTool[Int($0)] == app }
    }
}

extension ToolIndex {
    /// `terms` (the turn's, `queryTerms`) less those only a one-way association of its words put there: "umbrella"
    /// suggests a forecast, but a forecast is no umbrella, so a tool saying "forecast" does not match the turn's own
    /// words and cannot back up a weak app name beside them ("tomorrow" of tomorrow_io). A typed word, and a synonym
    /// that means it both ways ("sheet" ↔ spreadsheet), still back.
    func backingTerms(_ query: String, _ terms: [AppNameWords.Term]) -> [AppNameWords.Term] {
        let reading = TurnShapes.read(query, isAppName: { appNames.contains($0) })
        var typed = Set<Int32>()
        var associated = Set<Int32>()
        for term in ToolTokenizer.terms(reading.text, keepingWhole: brands) {
            if let id = termIDs[term] { typed.insert(id) }
            for alt in synonyms.expansions[term] ?? [] {
                guard let id = termIDs[alt] else { continue }
                if synonyms.expansions[alt]?.contains(term) ?? false { typed.insert(id) } else { associated.insert(id) }
            }
        }
        let only = associated.subtracting(typed)
        return only.isEmpty ? terms : terms.filter { !only.contains($0.id) }
    }
}
