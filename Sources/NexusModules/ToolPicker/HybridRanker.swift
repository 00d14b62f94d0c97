/// Fuses the lexical and the semantic ranking by reciprocal rank (RRF): each list gives a tool
/// `weight / (k0 + rank)`. Ranks, not scores, are fused, so BM25's unbounded scores and cosine similarities need
/// no common scale, and a tool both halves like rises above one only either half likes.
///
/// The fused list keeps the lexical index's look-alike limit: at most `sameNameLimit` tools of one name (its
/// versions included, `archive_email_v2` is `archive_email`) from different apps take places before other tools
/// get theirs. The semantic half has no such limit, and eight music apps' `add_to_queue` are eight near-identical
/// vectors: fused, they would fill the top five with one answer given five times.
///
/// Each half lists its best `depth`, and a tool the lexical half lists keeps its place in the semantic half's whole
/// ranking however deep (`RankPlaces`): among 9,000 tools the turn's tool is often 120th by cosine, and counting that
/// as nothing let one incidental shared word order the lexical candidates alone.
public struct HybridRanker: Sendable {
    public let lexical: ToolIndex
    public let semantic: SemanticIndex?
    public var k0: Double = 60
    public var semanticWeight: Double = 1
    /// How deep each list is read: the candidates of the fusion, and of the usage prior that reorders it. 100 (was
    /// 50) on the tuning turns, where the prior found its person's tool among more candidates (BENCHMARKS.md,
    /// session 9).
    public var depth = 100
    /// At most this many tools of one name in the fused ranking before other tools (0: no limit).
    public var sameNameLimit: Int
    /// Whose tools the semantic half also ranks among their app's own tools (`RankPlaces.ranks(among:)`). Off: on
    /// the tuning turns every scope lost more than it won, because ranking an app's tools among themselves lifts all
    /// of them, the app's weakest and a wrongly implied app's too (BENCHMARKS.md, session 9).
    public var appScope = AppScope.none
    /// Whether a tool the lexical half listed keeps its semantic place however deep (`RankPlaces.rank(of:)`),
    /// rather than nothing below the semantic list's `depth`.
    public var fullSemanticRanks = true
    /// Whether a semantic place counts the tool names more similar rather than the tools (`RankPlaces` groups):
    /// ten apps' copies of one tool push another tool down one place, not ten.
    public var placesByName = true

    /// The apps inside which the semantic half ranks tools among their app's own.
    public enum AppScope: Int, Sendable {
        /// None: the semantic half ranks the whole catalogue only.
        case none = 0
        /// The apps the turn names or implies (`AppRouter`).
        case named = 1
        /// Those and the apps the conversation has been using (`AppUsagePrior.withSession`).
        case conversation = 2
        /// Those and every app the person has used (`AppUsagePrior`'s history).
        case person = 3
    }

    public init(lexical: ToolIndex, semantic: SemanticIndex?) {
        self.lexical = lexical
        self.semantic = semantic
        sameNameLimit = lexical.routing.sameNameLimit
    }

    /// Best first. Without a semantic index or a query vector this is the lexical ranking.
    public func rank(query: String, vector: [Float]?, k: Int) -> [ToolIndex.Match] {
        rank(query: query, vectors: vector.map { [$0] } ?? [], k: k)
    }

    /// Best first, the semantic half scoring each tool by the best of `vectors` (a long turn and its tail,
    /// `QueryTexts.forEmbedding`). Without a semantic index or a query vector this is the lexical ranking. A `usage`
    /// prior reorders the fused candidates (`AppUsagePrior`), the apps the turn names counting as used.
    ///
    /// The semantic half gives each tool its place in the catalogue (`fullSemanticRanks`: however deep, for the
    /// tools either half listed) and, with an `appScope`, a tool of those apps its better place among its app's own
    /// tools. Vectors of another dimension than the index's count as none: the ranking is the lexical one.
    public func rank(query: String, vectors: [[Float]], k: Int, usage: AppUsagePrior? = nil) -> [ToolIndex.Match] {
        guard let fusion = fuse(query: query, vectors: vectors, usage: usage) else {
            return lexical.rank(query: query, k: k, usage: usage)
        }
        guard let usage, !usage.isEmpty else { return limitLookAlikes(fusion.ranked, k: k) }
        return limitLookAlikes(usage.reorder(fusion.ranked, index: lexical, named: fusion.named), k: k)
    }

    /// What the fusion saw: each half's places and the fused order (before the usage prior and look-alike limit).
    struct Fusion {
        var lexicalRank: [Int: Int]
        var semanticRank: [Int: Int]
        var named: [Int32: Float]
        var ranked: [ToolIndex.Match]
    }

    /// Both halves' places and their reciprocal-rank fusion; nil when there is no semantic half for these vectors.
    func fuse(query: String, vectors: [[Float]], usage: AppUsagePrior?) -> Fusion? {
        guard let semantic, semantic.embedded > 0 else { return nil }
        let similarities = semantic.similarities(bestOf: vectors)
        guard !similarities.isEmpty else { return nil }
        let places = RankPlaces(scores: similarities, groups: placesByName ? lexical.localNames : nil)
        // The lexical half reaches deeper for the tools of the apps the session uses (`sessionCandidates`).
        let (lexicalHalf, named) = lexical.rankNamingApps(query: query, k: depth, usage: nil, widen: usage)
        var lexicalRank: [Int: Int] = [:]
        for (r, m) in lexicalHalf.enumerated() where lexicalRank[m.index] == nil { lexicalRank[m.index] = r + 1 }
        var semanticRank: [Int: Int] = [:]
        var top = SemanticIndex.TopK(depth)
        for (i, s) in similarities.enumerated() { top.offer(i, s) }
        for (r, m) in top.sorted.enumerated() {
            semanticRank[m.index] = fullSemanticRanks ? places.rank(of: m.index) ?? r + 1 : r + 1
        }
        if fullSemanticRanks {
            for d in lexicalRank.keys where semanticRank[d] == nil { semanticRank[d] = places.rank(of: d) }
        }
        for app in scopedApps(named: named, usage: usage) {
            for (d, r) in places.ranks(among: lexical.router.toolsOfApp[Int(app)]) {
                semanticRank[d] = min(semanticRank[d] ?? r, r)
            }
        }
        var fused: [Int: Double] = [:]
        for (d, r) in lexicalRank { fused[d, default: 0] += 1 / (k0 + Double(r)) }
        for (d, r) in semanticRank { fused[d, default: 0] += semanticWeight / (k0 + Double(r)) }
        let ranked = fused.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { ToolIndex.Match(index: $0.key, score: $0.value) }
        return Fusion(lexicalRank: lexicalRank, semanticRank: semanticRank, named: named, ranked: ranked)
    }

    /// The fused best `k` with each half's place ("L3 S120"), for `nexus bench picker` (NEXUS_PICKER_EXPLAIN).
    public func explain(query: String, vectors: [[Float]], k: Int = 5, want: String = "") -> String {
        guard let fusion = fuse(query: query, vectors: vectors, usage: nil) else { return "  (no semantic half)\n" }
        let apps = fusion.named.map { "\(lexical.router.apps[Int($0.key)])=\(ExplainText.short($0.value))" }
        var out = "  hybrid (named: \(apps.joined(separator: " "))):"
        for m in limitLookAlikes(fusion.ranked, k: k) {
            let l = fusion.lexicalRank[m.index].map(String.init) ?? "-"
            let s = fusion.semanticRank[m.index].map(String.init) ?? "-"
            out += "\n    \(lexical.tools[m.index].name) L\(l) S\(s)"
        }
        if let w = lexical.tools.firstIndex(where: { $0.name == want }) {
            let place = fusion.ranked.firstIndex { $0.index == w }.map { String($0 + 1) } ?? "-"
            let l = fusion.lexicalRank[w].map(String.init) ?? "-"
            let s = fusion.semanticRank[w].map(String.init) ?? "-"
            out += "\n    want \(want) fused \(place) L\(l) S\(s)"
        }
        return out + "\n"
    }

    /// The apps inside which the semantic half ranks tools among their app's own (`appScope`).
    func scopedApps(named: [Int32: Float], usage: AppUsagePrior?) -> Set<Int32> {
        var apps = Set<Int32>()
        if appScope.rawValue >= AppScope.named.rawValue { apps.formUnion(named.keys) }
        if let usage, appScope.rawValue >= AppScope.conversation.rawValue {
            apps.formUnion(usage.session.filter { $0.value > 0 }.keys)
        }
        if let usage, appScope.rawValue >= AppScope.person.rawValue {
            apps.formUnion(usage.weights.filter { $0.value > 0 }.keys)
        }
        return apps.filter { Int($0) >= 0 && Int($0) < lexical.router.toolsOfApp.count }
    }

    /// The best `k` of `ranked` with at most `sameNameLimit` tools of one name; those held back fill any room left.
    /// A name is the lexical index's: the tool part without its app or a version (`ToolIndex.unversioned`), so both
    /// halves and the fused list agree on which tools are copies of one another.
    func limitLookAlikes(_ ranked: [ToolIndex.Match], k: Int) -> [ToolIndex.Match] {
        guard sameNameLimit > 0 else { return Array(ranked.prefix(k)) }
        return Self.limit(ranked, k: k, perKey: sameNameLimit) { lexical.localNames[$0.index] }
    }

    /// The first `k` of `ranked` taking at most `perKey` of each key in turn, then the ones held back, in order.
    static func limit<T, Key: Hashable>(_ ranked: [T], k: Int, perKey: Int, key: (T) -> Key) -> [T] {
        var taken: [Key: Int] = [:]
        var (kept, held): ([T], [T]) = ([], [])
        for item in ranked where kept.count < k {
            let name = key(item)
            let n = taken[name, default: 0]
            if n < perKey { kept.append(item) } else { held.append(item) }
            taken[name] = n + 1
        }
        return kept + held.prefix(k - kept.count)
    }
}
