import Testing

@testable import NexusModules

/// The semantic scan keeps only the best `k` while it scans; it must pick exactly what sorting every score would.
@Test func semanticTopKEqualsSortingEveryScoreWithTiesByPosition() {
    // Deterministic values in [-1, 1], so a failure reproduces.
    var seed = 17
    func next() -> Float {
        seed = (seed &* 1_103_515_245 &+ 12_345) & 0x7fff_ffff
        return Float(seed % 2_001) / 1_000 - 1
    }
    // 1,000 tools of 100 dimensions (not a multiple of the 32-wide loop, so its scalar tail is exercised),
    // every tenth a copy of the one before: equal scores, which must keep the lower position first.
    var vectors: [[Float]?] = []
    for i in 0..<1_000 {
        if i % 10 == 1, let previous = vectors.last {
            vectors.append(previous)
        } else if i % 97 == 0 {
            vectors.append(nil)
        } else {
            vectors.append((0..<100).map { _ in next() })
        }
    }
    let index = SemanticIndex(dimension: 100, vectors: vectors)
    for _ in 0..<20 {
        let query = (0..<100).map { _ in next() }
        let picked = index.rank(query, k: 50)
        var expected: [(Int, Float)] = []
        for (i, v) in vectors.enumerated() {
            guard let v, let unit = SemanticIndex.normalised(v), let q = SemanticIndex.normalised(query) else {
                continue
            }
            var s: Float = 0
            for j in 0..<100 { s += unit[j] * q[j] }
            if s > 0 { expected.append((i, s)) }
        }
        expected.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        // Float sums in another order differ in the last bits: compare positions where scores are not near-equal.
        #expect(picked.count == min(50, expected.count))
        for (a, b) in zip(picked, expected.prefix(50)) where a.index != b.0 {
            #expect(abs(a.score - Double(b.1)) < 1e-5, "position \(a.index) against \(b.0)")
        }
    }
}

@Test func semanticRankOfAnEmptyIndexOrAWrongSizedQueryIsEmpty() {
    #expect(SemanticIndex(dimension: 4, vectors: []).rank([1, 0, 0, 0], k: 5).isEmpty)
    #expect(SemanticIndex(dimension: 4, vectors: [[1, 0, 0, 0]]).rank([1, 0, 0], k: 5).isEmpty)
    #expect(SemanticIndex(dimension: 4, vectors: [[1, 0, 0, 0]]).rank([1, 0, 0, 0], k: 0).isEmpty)
}
