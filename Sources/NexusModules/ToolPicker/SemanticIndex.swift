/// Ranks tools by the cosine similarity of their embedding to a turn's embedding: the picker's semantic half,
/// which finds "wats on my calender tmrw" → list_events where no word is shared.
///
/// Vectors are normalised to unit length at build, stored in one contiguous array, and scanned in full per
/// query (10,000 × 384 multiply-adds, about a millisecond): no approximate index to build or keep in sync. A
/// tool without a vector (not embedded yet, or the embedding failed) scores nothing here and is still found
/// lexically.
public struct SemanticIndex: Sendable {
    public let dimension: Int
    public let count: Int
    let vectors: [Float]
    /// How many tools have a vector.
    public let embedded: Int

    /// `vectors[i]` is tool i's embedding, or nil; vectors of another dimension are ignored.
    public init(dimension: Int, vectors: [[Float]?]) {
        self.dimension = dimension
        count = vectors.count
        var flat = [Float](repeating: 0, count: dimension * vectors.count)
        var embedded = 0
        for (i, v) in vectors.enumerated() {
            guard let v, v.count == dimension, let unit = Self.normalised(v) else { continue }
            for j in 0..<dimension { flat[i * dimension + j] = unit[j] }
            embedded += 1
        }
        self.vectors = flat
        self.embedded = embedded
    }

    /// The `k` tools closest to `query`, best first (only positive similarities).
    public func rank(_ query: [Float], k: Int) -> [ToolIndex.Match] {
        guard k > 0, query.count == dimension, let q = Self.normalised(query) else { return [] }
        var scores = [Float](repeating: 0, count: count)
        vectors.withUnsafeBufferPointer { m in
            q.withUnsafeBufferPointer { qp in
                for i in 0..<count {
                    var s: Float = 0
                    let base = i * dimension
                    for j in 0..<dimension { s += m[base + j] * qp[j] }
                    scores[i] = s
                }
            }
        }
        return ToolIndex.topK((0..<Int32(count)).map { $0 }, scores: scores, k: k)
    }

    static func normalised(_ v: [Float]) -> [Float]? {
        var norm: Float = 0
        for x in v { norm += x * x }
        guard norm > 0, norm.isFinite else { return nil }
        let inv = 1 / norm.squareRoot()
        return v.map { $0 * inv }
    }
}

/// Fuses the lexical and the semantic ranking by reciprocal rank (RRF): each list gives a tool
/// `weight / (k0 + rank)`. Ranks, not scores, are fused, so BM25's unbounded scores and cosine similarities need
/// no common scale, and a tool both halves like rises above one only either half likes.
public struct HybridRanker: Sendable {
    public let lexical: ToolIndex
    public let semantic: SemanticIndex?
    public var k0: Double = 60
    public var semanticWeight: Double = 1
    /// How deep each list is read.
    public var depth = 50

    public init(lexical: ToolIndex, semantic: SemanticIndex?) {
        self.lexical = lexical
        self.semantic = semantic
    }

    /// Best first. Without a semantic index or a query vector this is the lexical ranking.
    public func rank(query: String, vector: [Float]?, k: Int) -> [ToolIndex.Match] {
        guard let semantic, let vector, semantic.embedded > 0 else { return lexical.rank(query: query, k: k) }
        var fused: [Int: Double] = [:]
        for (r, m) in lexical.rank(query: query, k: depth).enumerated() {
            fused[m.index, default: 0] += 1 / (k0 + Double(r + 1))
        }
        for (r, m) in semantic.rank(vector, k: depth).enumerated() {
            fused[m.index, default: 0] += semanticWeight / (k0 + Double(r + 1))
        }
        return fused.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(k)
            .map { ToolIndex.Match(index: $0.key, score: $0.value) }
    }
}
