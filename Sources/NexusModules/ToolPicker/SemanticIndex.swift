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
        rank(bestOf: [query], k: k)
    }

    /// The `k` tools closest to any of `queries` (a tool scores its best similarity), best first: a long turn's
    /// whole text and its tail (`QueryTexts`). Queries of another dimension are ignored.
    public func rank(bestOf queries: [[Float]], k: Int) -> [ToolIndex.Match] {
        guard k > 0 else { return [] }
        var best = TopK(k)
        for (i, s) in similarities(bestOf: queries).enumerated() { best.offer(i, s) }
        return best.sorted
    }

    /// Every tool's best similarity to any of `queries`, by tool index (0 for a tool without a vector); empty when
    /// no query has the index's dimension. The whole scan, so a ranking can place any tool, not only the best few.
    public func similarities(bestOf queries: [[Float]]) -> [Float] {
        let units = queries.compactMap { $0.count == dimension ? Self.normalised($0) : nil }
        guard count > 0, let first = units.first else { return [] }
        let rest = units.dropFirst().flatMap { $0 }
        let others = units.count - 1
        var out = [Float](repeating: 0, count: count)
        vectors.withUnsafeBufferPointer { m in
            first.withUnsafeBufferPointer { qp in
                rest.withUnsafeBufferPointer { rp in
                    out.withUnsafeMutableBufferPointer { op in
                        guard let mp = m.baseAddress, let qp = qp.baseAddress else { return }
                        for i in 0..<count {
                            let row = mp + i * dimension
                            var s = Self.dot(row, qp, dimension)
                            if others > 0, let rp = rp.baseAddress {
                                for o in 0..<others { s = max(s, Self.dot(row, rp + o * dimension, dimension)) }
                            }
                            op[i] = s
                        }
                    }
                }
            }
        }
        return out
    }

    /// One row's dot product with eight independent accumulators: the optimiser may not reorder float additions,
    /// so one running sum would wait on each add; eight let it vectorise (0.8 ms for 9,197 × 384 in release), and
    /// plain floats stay fast in a debug build too (SIMD types there are 10x slower than this; BENCHMARKS.md).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s0: Float = 0
        var s1: Float = 0
        var s2: Float = 0
        var s3: Float = 0
        var s4: Float = 0
        var s5: Float = 0
        var s6: Float = 0
        var s7: Float = 0
        var j = 0
        while j + 8 <= n {
            s0 += a[j] * b[j]
            s1 += a[j + 1] * b[j + 1]
            s2 += a[j + 2] * b[j + 2]
            s3 += a[j + 3] * b[j + 3]
            s4 += a[j + 4] * b[j + 4]
            s5 += a[j + 5] * b[j + 5]
            s6 += a[j + 6] * b[j + 6]
            s7 += a[j + 7] * b[j + 7]
            j += 8
        }
        var s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
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
