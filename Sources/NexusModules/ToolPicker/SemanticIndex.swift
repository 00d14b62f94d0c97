/// Ranks tools by the cosine similarity of their embedding to a turn's embedding: the picker's semantic half,
/// which finds "wats on my calender tmrw" → list_events where no word is shared.
///
/// Vectors are normalised to unit length at build, stored in one contiguous array, and scanned in full per
/// query (10,000 × 384 multiply-adds: under a millisecond in a release build, see BENCHMARKS.md "Semantic
/// picking on a quiet machine"): no approximate index to build or keep in sync. A
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
        guard k > 0, count > 0, query.count == dimension, let q = Self.normalised(query) else { return [] }
        var best = TopK(k)
        vectors.withUnsafeBufferPointer { m in
            q.withUnsafeBufferPointer { qp in
                guard let mp = m.baseAddress, let qp = qp.baseAddress else { return }
                for i in 0..<count {
                    best.offer(i, Self.dot(mp + i * dimension, qp, dimension))
                }
            }
        }
        return best.sorted
    }

    /// One row's dot product: four independent 8-wide accumulators, so the optimiser need not reorder float
    /// additions (which it may not) to keep the vector units busy; the tail past a multiple of 32 is scalar.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var j = 0
        while j + 32 <= n {
            let o = j * 4
            s0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            s1 += ra.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self)
            s2 += ra.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self)
            s3 += ra.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self)
            j += 32
        }
        var s = ((s0 + s1) + (s2 + s3)).sum()
        while j < n {
            s += a[j] * b[j]
            j += 1
        }
        return s
    }

    /// The best `k` of a stream of (tool, score), without sorting the whole stream: a sorted array of at most
    /// `k`, where a score below the current k-th costs one comparison (nearly all of 10,000 do).
    struct TopK {
        let k: Int
        private(set) var items: [(index: Int, score: Float)] = []
        private var floor: Float = 0

        init(_ k: Int) {
            self.k = k
            items.reserveCapacity(k + 1)
        }

        mutating func offer(_ index: Int, _ score: Float) {
            guard score > floor || (items.count < k && score > 0) else { return }
            var i = items.count
            while i > 0 && score > items[i - 1].score { i -= 1 }
            items.insert((index, score), at: i)
            if items.count > k { items.removeLast() }
            if items.count == k, let last = items.last { floor = last.score }
        }

        /// Best first; equal scores keep the lower index first (the order they were offered).
        var sorted: [ToolIndex.Match] { items.map { ToolIndex.Match(index: $0.index, score: Double($0.score)) } }
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
