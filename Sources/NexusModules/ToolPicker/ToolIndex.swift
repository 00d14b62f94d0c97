import NexusCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Picks the few tools relevant to a turn out of thousands, so a request carries five schemas, not 10,000.
///
/// A BM25F index over each tool's name (the `app__` namespace and the tool part), description, and the
/// names, descriptions and enum values of its schema's top-level properties. Per-posting BM25 weights are
/// computed once at build time, so a query costs a tokenization and a sum over the postings of its few
/// terms, well under a millisecond for 10,000 tools. Query words are expanded through `ToolSynonyms`; a word
/// the index does not know is matched to known words one edit away (`TypoMatcher`); in a long turn the last
/// words, where people put what they want, count most; the apps the turn names or implies (`AppRouter`)
/// lift their tools above look-alikes, but a word that names an app and is everyday English ("last" of last_fm)
/// counts only as much as it is surprising in English (`EnglishWordFrequency`), while the app's whole name
/// ("last.fm", "lastfm") names it; tokens whose shape names a thing ("#qa", "ENG-412", "notes.txt", an address)
/// count as that kind of thing, not as their words (`TurnShapes`); a tool matching more of the turn's words
/// counts more (`coordination`); and one tool name (or its versions) offered by many apps takes at most
/// `sameNameLimit` places before other tools get theirs.
/// Immutable after build, so one index can be shared by every turn.
public struct ToolIndex: Sendable {
    /// How much each field of a tool counts: names say what a tool is, schema text only hints at it.
    public struct FieldWeights: Sendable {
        public var namespace: Float = 2.0
        public var name: Float = 3.0
        public var description: Float = 1.0
        public var parameterName: Float = 0.6
        public var parameterText: Float = 0.3
        public init() {}
    }

    /// How the query side weighs its evidence; the defaults were tuned on testdata/picker/tuning.jsonl only.
    public struct Routing: Sendable {
        /// Share of the best lexical score added to the tools of the app the turn points to (0 turns routing off).
        public var appBoost: Float = 0.5
        /// Apps scoring at least this share of the best app's score are boosted too (in proportion).
        public var appRatio: Float = 0.6
        /// The least app score (a sum of coverage × purity² over the turn's terms) that counts as naming an app.
        public var appEvidence: Float = 0.3
        /// Weight of a known word one edit away from an unknown typed word.
        public var typoWeight: Float = 0.6
        /// In a turn of more terms than this, the earlier ones are context and weigh `contextWeight`.
        public var contextWindow = 10
        public var contextWeight: Float = 0.5
        /// Exponent of the share of the turn's words a tool matches, multiplied into its score (0: off): a tool
        /// matching one incidental word of five loses to one matching three.
        public var coordination: Float = 1
        /// Exponent of a term's IDF (1: BM25's own): above 1, words shared by hundreds of tools count for less.
        public var idfPower: Float = 1
        /// Share of the app boost a tool gets when nothing of the turn but the app's own name matches it (1: all):
        /// "ana's last message" names last_fm only by accident, and none of its tools is about a message.
        public var routeUnmatched: Float = 1
        /// At most this many tools of the same name from different apps in a ranking (0: no limit): eight mail
        /// apps' `archive_email` say one thing eight times, and leave no room for the `send_email` the turn wants.
        public var sameNameLimit = 2
        /// Weight of `channel` when the turn writes "#name" (0: the synonym expansion weight).
        public var hashChannelWeight: Float = 0
        /// How many everyday words a turn is taken to draw from (0: off). A word that names an app (`AppRouter`)
        /// counts at most as surprising as it is in English, ln(10⁹ / (englishSpan × its uses per billion words))
        /// (`EnglishWordFrequency`): the catalogue rates "last" and "tomorrow" as rare, telling words (only
        /// last_fm and tomorrow_io use them), but people type them all the time. Such a word also points to its
        /// app only in proportion; "slack" or "stripe", rare in English, keep their whole weight.
        public var englishSpan: Float = 1000
        /// Weight of a known word an unknown typed one abbreviates by dropping its vowels ("tmrw", "msg"; 0: off).
        public var abbreviationWeight: Float = 0.6
        /// Weight of what a token's shape implies ("a@b.com" → email, "notes.txt" → file; 0: the expansion weight).
        public var shapeWeight: Float = 0
        /// Weight of the words inside an email address, URL or file name (0: none): they name it, not the intent.
        public var addressWeight: Float = 0
        /// How much of its weight a word keeps in the tools of an app it names only weakly (an English word that is
        /// part of the name: "last" of last_fm, "checkout" of checkout_com) when nothing else of the turn matches the
        /// tool's own text, and whether the app is routed to (`AppNameWords`; 1: all, off). Such a word names its
        /// app by accident: "we need 5 replicas of checkout".
        public var unbackedName: Float = 0
        /// Whether a term only a one-way association of the turn's words put there ("umbrella" → forecast; not
        /// "sheet" ↔ spreadsheet) backs up a weak app name (`AppNameWords`): 0 no, 1 yes (as before session 11).
        public var oneWayBacking: Float = 0
        public init() {}
    }

    /// One ranked tool: its position in the `tools` array the index was built from, and its score.
    public struct Match: Sendable, Equatable {
        public let index: Int
        public let score: Double
    }

    struct Posting: Sendable {
        let doc: Int32
        let weight: Float
    }

    public let tools: [ToolDefinition]
    let termIDs: [String: Int32]
    let postings: [[Posting]]
    let synonyms: ToolSynonyms
    let expansionWeight: Float
    let typos: TypoMatcher
    let router: AppRouter
    public let routing: Routing
    /// Tool index → id of its name without the app namespace and version (`send_email`), to limit look-alikes.
    let localNames: [Int32]
    /// Namespaces as one lower-case word ("lastfm", "removebg", "github"), to tell "remove.bg" from a file name.
    let appNames: Set<String>
    /// App names the stemmer would read as adverbs ("namely" → `nam`, "insightly" → `insight`), kept whole.
    let brands: Set<String>
    /// Term id → share of its catalogue IDF left by the English cap (empty when `englishSpan` is 0).
    let englishShare: [Float]
    /// Which words name an app only weakly, and each tool's own text to back them (`unbackedName`).
    let nameWords: AppNameWords

    /// What the index noticed in the tools it was given (empty or huge descriptions, duplicate names).
    public let notes: [String]

    public var count: Int { tools.count }
    /// Number of distinct terms in the index.
    public var vocabularySize: Int { termIDs.count }

    /// Indexes `tools`. `k1` and `b` are BM25's saturation and length-normalisation constants.
    public init(
        _ tools: [ToolDefinition], synonyms: ToolSynonyms = .standard, weights: FieldWeights = FieldWeights(),
        k1: Float = 1.2, b: Float = 0.75, expansionWeight: Float = 0.3, routing: Routing = Routing()
    ) {
        self.tools = tools
        self.synonyms = synonyms
        self.expansionWeight = expansionWeight
        self.routing = routing
        var ids: [String: Int32] = [:]
        var rawPostings: [[(doc: Int32, tf: Float)]] = []
        var lengths = [Float](repeating: 0, count: tools.count)
        var docTerms: [Int32: Float] = [:]
        var namespaces: [String] = []
        var appTerms: [Set<Int32>] = []
        var ownTerms: [[Int32]] = []
        var ownTexts: [String] = []
        namespaces.reserveCapacity(tools.count)
        appTerms.reserveCapacity(tools.count)
        var notes: [String] = []
        var seen = Set<String>()
        var localIDs: [String: Int32] = [:]
        var localNames: [Int32] = []
        localNames.reserveCapacity(tools.count)
        for tool in tools {
            let local = Self.unversioned(Self.splitName(tool.name).local)
            if let id = localIDs[local] {
                localNames.append(id)
            } else {
                localIDs[local] = Int32(localIDs.count)
                localNames.append(Int32(localIDs.count - 1))
            }
        }
        self.localNames = localNames
        let brands = Self.adverbLookingNames(tools)
        self.brands = brands
        appNames = Set(tools.map { ToolTokenizer.words(Self.splitName($0.name).namespace).joined() })
        for (d, tool) in tools.enumerated() {
            guard seen.insert(tool.name).inserted else {
                // Two modules cannot share a namespaced name; a module listing a tool twice can. The first wins.
                notes.append("\(tool.name): listed more than once; the picker indexes the first")
                namespaces.append("")
                appTerms.append([])
                ownTerms.append([])
                ownTexts.append("")
                continue
            }
            if let note = ToolText.note(for: tool) { notes.append(note) }
            docTerms.removeAll(keepingCapacity: true)
            var length: Float = 0
            var textTerms = Set<Int32>()
            var own = Set<Int32>()
            func add(_ text: String, _ w: Float, app: Bool = false, isOwn: Bool = false) {
                ToolTokenizer.forEachTerm(text, keepingWhole: brands) { term in
                    let id: Int32
                    if let known = ids[term] {
                        id = known
                    } else {
                        id = Int32(rawPostings.count)
                        ids[term] = id
                        rawPostings.append([])
                    }
                    docTerms[id, default: 0] += w
                    length += w
                    if app { textTerms.insert(id) }
                    if isOwn { own.insert(id) }
                }
            }
            let (namespace, local) = Self.splitName(tool.name)
            add(namespace, weights.namespace, app: true)
            // "last_fm" is also `lastfm`, so "last.fm" or "lastfm" in a turn names the app as a whole.
            if let whole = Self.wholeName(namespace) { add(whole, weights.namespace, app: true) }
            add(local, weights.name, app: true, isOwn: true)
            add(ToolText.indexed(tool.description), weights.description, app: true, isOwn: true)
            namespaces.append(namespace)
            appTerms.append(textTerms)
            ownTerms.append(own.sorted())
            ownTexts.append(local + " " + ToolText.indexed(tool.description))
            if let props = tool.inputSchema["properties"]?.objectValue {
                for key in props.keys {
                    add(key, weights.parameterName)
                    if let text = props[key]?["description"]?.stringValue { add(text, weights.parameterText) }
                    for value in props[key]?["enum"]?.arrayValue ?? [] {
                        if let s = value.stringValue { add(s, weights.parameterText) }
                    }
                }
            }
            lengths[d] = length
            for (id, tf) in docTerms { rawPostings[Int(id)].append((Int32(d), tf)) }
        }
        let n = Float(max(tools.count, 1))
        let avgLength = max(lengths.reduce(0, +) / n, 1)
        let router = AppRouter(namespaces: namespaces, termsOfTool: appTerms, termCount: rawPostings.count)
        let caps = Self.englishCaps(ids, span: routing.englishSpan)
        var share = [Float](repeating: 1, count: caps.isEmpty ? 0 : rawPostings.count)
        postings = rawPostings.enumerated().map { t, list in
            let df = Float(list.count)
            var idf = powf(logf(1 + (n - df + 0.5) / (df + 0.5)), routing.idfPower)
            if !caps.isEmpty, caps[t] < idf, router.namesAnApp(Int32(t)) {
                share[t] = idf > 0 ? caps[t] / idf : 1
                idf = caps[t]
            }
            return list.map { p in
                let norm = k1 * (1 - b + b * lengths[Int(p.doc)] / avgLength)
                return Posting(doc: p.doc, weight: idf * p.tf * (k1 + 1) / (p.tf + norm))
            }
        }
        termIDs = ids
        englishShare = share
        nameWords = AppNameWords(
            router: router, termIDs: ids, texts: ownTexts, ownTerms: ownTerms, synonyms: synonyms)
        self.notes = notes
        typos = TypoMatcher(terms: ids)
        self.router = router
    }

    /// The `k` tools most relevant to `query`, best first. An empty or meaningless query picks nothing.
    public func pick(query: String, k: Int) -> [ToolDefinition] {
        rank(query: query, k: k).map { tools[$0.index] }
    }

    /// The `k` best matches with their scores, best first; ties keep catalogue order. With a `usage` prior, the
    /// apps the person uses reorder the candidates (`AppUsagePrior`).
    public func rank(query: String, k: Int, usage: AppUsagePrior? = nil) -> [Match] {
        rankNamingApps(query: query, k: k, usage: usage).matches
    }

    /// `rank`, and the apps the turn names with the share of the app boost each got (for the hybrid's prior). With
    /// `widen` (the hybrid's lexical half, which leaves the reorder to the fused list), the session's candidates are
    /// appended as `usage`'s are (`sessionCandidates`).
    func rankNamingApps(
        query: String, k: Int, usage: AppUsagePrior?, widen: AppUsagePrior? = nil
    ) -> (matches: [Match], named: [Int32: Float]) {
        guard k > 0, !tools.isEmpty else { return ([], [:]) }
        let grouped = queryTerms(query)
        guard !grouped.isEmpty else { return ([], [:]) }
        let weighted = grouped.map { ($0.id, $0.weight * (englishShare.isEmpty ? 1 : englishShare[Int($0.id)])) }
        var scores = [Float](repeating: 0, count: tools.count)
        var touched: [Int32] = []
        touched.reserveCapacity(1024)
        let coordinate = routing.coordination > 0
        var masks = coordinate ? [UInt64](repeating: 0, count: tools.count) : []
        var best: Float = 0
        // Which tools a word other than an app's name matches: only those get the app's whole boost.
        let gate = routing.routeUnmatched < 1
        var plain = gate ? [Bool](repeating: false, count: tools.count) : []
        // Words that name an app only weakly and alone: they count in that app's tools the turn backs up.
        // What can back such a word up: the turn's terms less what only a one-way association put there.
        let backing = routing.unbackedName < 1 ? nameWords.backing(query, grouped, index: self) : grouped
        let lone = routing.unbackedName < 1 ? nameWords.alone(in: backing, router: router) : [:]
        var backed = Set<Int32>()
        var loneApps = Set<Int32>()
        for (id, qw, group) in grouped {
            let bit: UInt64 = group >= 0 && group < 64 ? 1 << UInt64(group) : 0
            let names = gate && router.namesAnApp(id)
            let weakly = lone[id]
            for p in postings[Int(id)] {
                var add = qw * p.weight
                // An unbacked weak name that keeps no weight is no match of the tool, for `coordination` either.
                var matches = true
                if let weakly, case let app = router.appOfTool[Int(p.doc)], weakly.apps.contains(app) {
                    loneApps.insert(app)
                    if nameWords.backs(p.doc, app: app, group: group, terms: backing) {
                        backed.insert(p.doc)
                    } else {
                        add *= routing.unbackedName
                        matches = routing.unbackedName > 0
                    }
                }
                // A tool is a candidate once, when its score leaves 0: a term capped to nothing by English adds 0.
                if scores[Int(p.doc)] == 0 && add > 0 { touched.append(p.doc) }
                scores[Int(p.doc)] += add
                if coordinate && matches { masks[Int(p.doc)] |= bit }
                if gate && !names { plain[Int(p.doc)] = true }
            }
        }
        if coordinate {
            let groups = Float(max(Set(grouped.map(\.group).filter { $0 >= 0 && $0 < 64 }).count, 1))
            for d in touched {
                let share = Float(masks[Int(d)].nonzeroBitCount) / groups
                scores[Int(d)] *= powf(max(share, 1 / groups), routing.coordination)
            }
        }
        for d in touched { best = max(best, scores[Int(d)]) }
        let named = route(
            weighted, scores: &scores, touched: &touched, best: best, matched: plain,
            weakly: WeakNaming(lone: lone, apps: loneApps, backed: backed, appOfTool: router.appOfTool))
        if let usage, !usage.isEmpty {
            var pool = Self.topK(touched, scores: scores, k: k * 4)
            pool += sessionCandidates(touched, scores: scores, usage: usage, beyond: pool, k: k)
            pool = usage.reorder(pool, index: self, named: named)
            return (routing.sameNameLimit > 0 ? limitLookAlikes(pool, k: k) : Array(pool.prefix(k)), named)
        }
        let ranked =
            routing.sameNameLimit > 0
            ? limitLookAlikes(Self.topK(touched, scores: scores, k: k * 4), k: k)
            : Self.topK(touched, scores: scores, k: k)
        guard let widen else { return (ranked, named) }
        return (ranked + sessionCandidates(touched, scores: scores, usage: widen, beyond: ranked, k: k), named)
    }

    /// The best `k` tools of the apps the session has been using (`AppUsagePrior.withSession`) that the turn matches
    /// at all but that are not in `pool`: a follow-up ("cancel the dentist one") shares a word with hundreds of
    /// look-alikes, and the conversation's own app's tool can rank far below the pool the prior reorders. Only
    /// tools the turn matches: the session never pulls in a tool the turn says nothing about.
    func sessionCandidates(
        _ touched: [Int32], scores: [Float], usage: AppUsagePrior, beyond pool: [Match], k: Int
    ) -> [Match] {
        guard !usage.session.isEmpty, usage.settings.sessionStrength > 0 else { return [] }
        let taken = Set(pool.map(\.index))
        let appOfTool = router.appOfTool
        let ofSession = touched.filter { d in
            let app = appOfTool[Int(d)]
            return app >= 0 && usage.session[app] != nil && !taken.contains(Int(d))
        }
        return Self.topK(ofSession, scores: scores, k: k)
    }

    /// The best `k` of `ranked`, with at most `sameNameLimit` tools of one name; the ones held back fill any room.
    func limitLookAlikes(_ ranked: [Match], k: Int) -> [Match] {
        HybridRanker.limit(ranked, k: k, perKey: routing.sameNameLimit) { localNames[$0.index] }
    }

    /// Lifts the tools of the apps the turn names or implies, in proportion to how clearly it does; returns those
    /// apps with that proportion.
    func route(
        _ weighted: [(Int32, Float)], scores: inout [Float], touched: inout [Int32], best: Float, matched: [Bool],
        weakly: WeakNaming = WeakNaming()
    ) -> [Int32: Float] {
        guard routing.appBoost > 0 else { return [:] }
        let apps = router.scores(weighted) { term, app in weakly.unbacked(term: term, app: app) }
        guard let top = apps.values.max(), top >= routing.appEvidence else { return [:] }
        let base = best > 0 ? best : 1
        var named: [Int32: Float] = [:]
        for (app, score) in apps where score >= routing.appRatio * top && score >= routing.appEvidence {
            named[app] = min(score, 1)
            let boost = routing.appBoost * base * min(score, 1)
            for d in router.toolsOfApp[Int(app)] where !weakly.apps.contains(app) || weakly.backed.contains(d) {
                if scores[Int(d)] == 0 { touched.append(d) }
                let gated = !matched.isEmpty && !matched[Int(d)]
                scores[Int(d)] += gated ? boost * routing.routeUnmatched : boost
            }
        }
        return named
    }

    static func topK(_ candidates: [Int32], scores: [Float], k: Int) -> [Match] {
        var best: [(doc: Int32, score: Float)] = []
        best.reserveCapacity(k + 1)
        func better(_ a: (doc: Int32, score: Float), _ b: (doc: Int32, score: Float)) -> Bool {
            a.score > b.score || (a.score == b.score && a.doc < b.doc)
        }
        for doc in candidates {
            let entry = (doc: doc, score: scores[Int(doc)])
            guard entry.score > 0 else { continue }
            if best.count == k, let last = best.last, !better(entry, last) { continue }
            var i = best.count
            while i > 0 && better(entry, best[i - 1]) { i -= 1 }
            best.insert(entry, at: i)
            if best.count > k { best.removeLast() }
        }
        return best.map { Match(index: Int($0.doc), score: Double($0.score)) }
    }

    /// Per term id, the English cap on its IDF (`Routing.englishSpan`); empty when the span is 0.
    static func englishCaps(_ ids: [String: Int32], span: Float) -> [Float] {
        guard span > 0 else { return [] }
        var caps = [Float](repeating: .greatestFiniteMagnitude, count: ids.count)
        let lnSpan = logf(span)
        for (term, id) in ids {
            guard let zipf = EnglishWordFrequency.zipf(ofTerm: term) else { continue }
            caps[Int(id)] = max((9 - zipf) * logf(10) - lnSpan, 0)
        }
        return caps
    }
}
