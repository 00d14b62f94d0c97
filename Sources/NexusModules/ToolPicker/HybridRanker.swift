/// Fuses the lexical and the semantic ranking by reciprocal rank (RRF): each list gives a tool
/// `weight / (k0 + rank)`. Ranks, not scores, are fused, so BM25's unbounded scores and cosine similarities need
/// no common scale, and a tool both halves like rises above one only either half likes.
///
/// The fused list keeps the lexical index's look-alike limit: at most `sameNameLimit` tools of one name (its
/// versions included, `archive_email_v2` is `archive_email`) from different apps take places before other tools
/// get theirs. The semantic half has no such limit, and eight music apps' `add_to_queue` are eight near-identical
/// vectors: fused, they would fill the top five with one answer given five times.
public struct HybridRanker: Sendable {
    public let lexical: ToolIndex
    public let semantic: SemanticIndex?
    public var k0: Double = 60
    public var semanticWeight: Double = 1
    /// How deep each list is read.
    public var depth = 50
    /// At most this many tools of one name in the fused ranking before other tools (0: no limit).
    public var sameNameLimit: Int

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
    public func rank(query: String, vectors: [[Float]], k: Int, usage: AppUsagePrior? = nil) -> [ToolIndex.Match] {
        guard let semantic, !vectors.isEmpty, semantic.embedded > 0 else {
            return lexical.rank(query: query, k: k, usage: usage)
        }
        var fused: [Int: Double] = [:]
        let (lexicalHalf, named) = lexical.rankNamingApps(query: query, k: depth, usage: nil)
        for (r, m) in lexicalHalf.enumerated() {
            fused[m.index, default: 0] += 1 / (k0 + Double(r + 1))
        }
        for (r, m) in semantic.rank(bestOf: vectors, k: depth).enumerated() {
            fused[m.index, default: 0] += semanticWeight / (k0 + Double(r + 1))
        }
        let ranked = fused.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { ToolIndex.Match(index: $0.key, score: $0.value) }
        guard let usage, !usage.isEmpty else { return limitLookAlikes(ranked, k: k) }
        return limitLookAlikes(usage.reorder(ranked, index: lexical, named: named), k: k)
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
