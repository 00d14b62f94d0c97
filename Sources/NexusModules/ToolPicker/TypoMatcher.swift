/// Finds the index terms one edit away from a word the index does not know, so "calender", "emial" and
/// "slak" still reach `calendar`, `email` and `slack`.
///
/// A deletion index (as SymSpell builds one): every term of at least five letters is stored under itself and
/// under each of its one-letter deletions; an unknown word looks up itself and its own deletions. Two words
/// meet when one is the other with a letter added, dropped or changed, or two neighbours swapped. A lookup
/// costs a few dictionary probes, not a scan of the vocabulary, so it fits the picker's per-turn budget.
struct TypoMatcher: Sendable {
    /// A term or one of its one-letter deletions → the ids of the terms it came from.
    let keys: [String: [Int32]]

    /// Shorter words are left alone: "ping" is a word, not a typo of "bing".
    static let minimumLength = 5
    /// Longer "words" are left alone too: a deletion lookup costs length² bytes, and a turn (or a module's
    /// description) can be one megabyte of letters — that hung the picker. No word people type is this long.
    static let maximumLength = 32

    init(terms: [String: Int32]) {
        var keys: [String: [Int32]] = [:]
        for (term, id) in terms {
            let bytes = Array(term.utf8)
            guard (Self.minimumLength...Self.maximumLength).contains(bytes.count),
                bytes.allSatisfy({ $0 >= 97 && $0 <= 122 })
            else { continue }
            keys[term, default: []].append(id)
            Self.forEachDeletion(bytes) { keys[$0, default: []].append(id) }
        }
        for k in keys.keys { keys[k] = Array(Set(keys[k] ?? [])).sorted() }
        self.keys = keys
    }

    /// Ids of the known terms one edit away from `word` (which the index does not contain), best guesses first
    /// as `rank` orders them (the caller passes document frequency: a common word is the likelier intent).
    func candidates(_ word: String, limit: Int = 2, rank: (Int32) -> Int) -> [Int32] {
        let bytes = Array(word.utf8)
        guard (Self.minimumLength...Self.maximumLength).contains(bytes.count),
            bytes.allSatisfy({ $0 >= 97 && $0 <= 122 })
        else { return [] }
        var found = Set(keys[word] ?? [])
        Self.forEachDeletion(bytes) { found.formUnion(keys[$0] ?? []) }
        return found.sorted { (rank($0), $1) > (rank($1), $0) }.prefix(limit).map { $0 }
    }

    static func forEachDeletion(_ bytes: [UInt8], _ body: (String) -> Void) {
        var previous: [UInt8] = []
        for i in 0..<bytes.count {
            var d = bytes
            d.remove(at: i)
            if d == previous { continue }  // "ll" → one deletion, not two
            previous = d
            body(String(decoding: d, as: UTF8.self))
        }
    }
}
