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
/// words, where people put what they want, count most; and the apps the turn names or implies (`AppRouter`)
/// lift their tools above look-alikes. Immutable after build, so one index can be shared by every turn.
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

    /// What the index noticed in the tools it was given (empty or huge descriptions, duplicate names).
    public let notes: [String]

    public var count: Int { tools.count }
    /// Number of distinct terms in the index.
    public var vocabularySize: Int { termIDs.count }

    /// Indexes `tools`. `k1` and `b` are BM25's saturation and length-normalisation constants.
    public init(
        _ tools: [ToolDefinition], synonyms: ToolSynonyms = .standard, weights: FieldWeights = FieldWeights(),
        k1: Float = 1.2, b: Float = 0.75, expansionWeight: Float = 0.45, routing: Routing = Routing()
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
        namespaces.reserveCapacity(tools.count)
        appTerms.reserveCapacity(tools.count)
        var notes: [String] = []
        var seen = Set<String>()
        for (d, tool) in tools.enumerated() {
            guard seen.insert(tool.name).inserted else {
                // Two modules cannot share a namespaced name; a module listing a tool twice can. The first wins.
                notes.append("\(tool.name): listed more than once; the picker indexes the first")
                namespaces.append("")
                appTerms.append([])
                continue
            }
            if let note = ToolText.note(for: tool) { notes.append(note) }
            docTerms.removeAll(keepingCapacity: true)
            var length: Float = 0
            var textTerms = Set<Int32>()
            func add(_ text: String, _ w: Float, app: Bool = false) {
                ToolTokenizer.forEachTerm(text) { term in
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
                }
            }
            let (namespace, local) = Self.splitName(tool.name)
            add(namespace, weights.namespace, app: true)
            add(local, weights.name, app: true)
            add(ToolText.indexed(tool.description), weights.description, app: true)
            namespaces.append(namespace)
            appTerms.append(textTerms)
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
        postings = rawPostings.map { list in
            let df = Float(list.count)
            let idf = logf(1 + (n - df + 0.5) / (df + 0.5))
            return list.map { p in
                let norm = k1 * (1 - b + b * lengths[Int(p.doc)] / avgLength)
                return Posting(doc: p.doc, weight: idf * p.tf * (k1 + 1) / (p.tf + norm))
            }
        }
        termIDs = ids
        self.notes = notes
        typos = TypoMatcher(terms: ids)
        router = AppRouter(namespaces: namespaces, termsOfTool: appTerms, termCount: rawPostings.count)
    }

    /// The `k` tools most relevant to `query`, best first. An empty or meaningless query picks nothing.
    public func pick(query: String, k: Int) -> [ToolDefinition] {
        rank(query: query, k: k).map { tools[$0.index] }
    }

    /// The `k` best matches with their scores, best first; ties keep catalogue order.
    public func rank(query: String, k: Int) -> [Match] {
        guard k > 0, !tools.isEmpty else { return [] }
        let weighted = queryTerms(query)
        guard !weighted.isEmpty else { return [] }
        var scores = [Float](repeating: 0, count: tools.count)
        var touched: [Int32] = []
        touched.reserveCapacity(1024)
        var best: Float = 0
        for (id, qw) in weighted {
            for p in postings[Int(id)] {
                if scores[Int(p.doc)] == 0 { touched.append(p.doc) }
                scores[Int(p.doc)] += qw * p.weight
                best = max(best, scores[Int(p.doc)])
            }
        }
        route(weighted, scores: &scores, touched: &touched, best: best)
        return Self.topK(touched, scores: scores, k: k)
    }

    /// Lifts the tools of the apps the turn names or implies, in proportion to how clearly it does.
    func route(_ weighted: [(Int32, Float)], scores: inout [Float], touched: inout [Int32], best: Float) {
        guard routing.appBoost > 0 else { return }
        let apps = router.scores(weighted)
        guard let top = apps.values.max(), top >= routing.appEvidence else { return }
        let base = best > 0 ? best : 1
        for (app, score) in apps where score >= routing.appRatio * top && score >= routing.appEvidence {
            let boost = routing.appBoost * base * min(score, 1)
            for d in router.toolsOfApp[Int(app)] {
                if scores[Int(d)] == 0 { touched.append(d) }
                scores[Int(d)] += boost
            }
        }
    }

    /// Query term ids with weights: typed words 1 (context before the last `contextWindow` terms less), a
    /// known word one edit from an unknown typed one `typoWeight`, synonym expansions `expansionWeight`.
    func queryTerms(_ query: String) -> [(Int32, Float)] {
        var weights: [Int32: Float] = [:]
        func put(_ id: Int32, _ w: Float) {
            if (weights[id] ?? 0) < w { weights[id] = w }
        }
        let typed = ToolTokenizer.terms(query)
        let contextEnd = typed.count - routing.contextWindow
        func position(_ i: Int) -> Float { i < contextEnd ? routing.contextWeight : 1 }
        for (i, term) in typed.enumerated() {
            if let id = termIDs[term] {
                put(id, position(i))
            } else {
                for id in typos.candidates(term, rank: { postings[Int($0)].count }) {
                    put(id, position(i) * routing.typoWeight)
                }
            }
        }
        // "#name" is how people write a chat channel, whatever the app: it implies the word.
        if query.utf8.contains(35), let id = termIDs["channel"] { put(id, expansionWeight) }
        for (i, term) in typed.enumerated() {
            for alt in synonyms.expansions[term] ?? [] {
                if let id = termIDs[alt] { put(id, position(i) * expansionWeight) }
            }
        }
        return weights.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }
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

    /// `github__list_issues` → ("github", "list_issues"); `mcp.server.tool` → ("mcp server", "tool").
    public static func splitName(_ name: String) -> (namespace: String, local: String) {
        if let r = name.ranges(of: "__").last {
            return (String(name[..<r.lowerBound]), String(name[r.upperBound...]))
        }
        if let dot = name.lastIndex(of: ".") ?? name.lastIndex(of: "/") {
            return (String(name[..<dot]), String(name[name.index(after: dot)...]))
        }
        return ("", name)
    }
}
