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
    /// A term's consonant skeleton (first letter, then its consonants, doubles once) → the terms that have it:
    /// people shorten a word by dropping its vowels ("tmrw", "msg", "src").
    let skeletons: [String: [Int32]]

    /// Shorter words are left alone: "ping" is a word, not a typo of "bing".
    static let minimumLength = 5
    /// Longer "words" are left alone too: a deletion lookup costs length² bytes, and a turn (or a module's
    /// description) can be one megabyte of letters — that hung the picker. No word people type is this long.
    static let maximumLength = 32

    init(terms: [String: Int32]) {
        var keys: [String: [Int32]] = [:]
        var skeletons: [String: [Int32]] = [:]
        for (term, id) in terms {
            let letters = Array(term.utf8)
            // An abbreviation keeps the word's first and last letters: "tmrw" is `tomorrow`, not `tomorrowio`.
            if letters.count >= 4, letters.count <= Self.maximumLength, let last = letters.last, !Self.isVowel(last),
                letters.allSatisfy({ $0 >= 97 && $0 <= 122 })
            {
                let skeleton = Self.skeleton(letters)
                if skeleton.count >= 3, skeleton.count < letters.count {
                    skeletons[String(decoding: skeleton, as: UTF8.self), default: []].append(id)
                }
            }
            let bytes = Array(term.utf8)
            guard (Self.minimumLength...Self.maximumLength).contains(bytes.count),
                bytes.allSatisfy({ $0 >= 97 && $0 <= 122 })
            else { continue }
            keys[term, default: []].append(id)
            Self.forEachDeletion(bytes) { keys[$0, default: []].append(id) }
        }
        for k in keys.keys { keys[k] = Array(Set(keys[k] ?? [])).sorted() }
        self.keys = keys
        self.skeletons = skeletons.mapValues { $0.sorted() }
    }

    /// Known terms an unknown word abbreviates by dropping vowels ("tmrw" → `tomorrow`), best guesses first as
    /// `rank` orders them. Only a word of three to six letters with no vowel after its first letter asks.
    func abbreviated(_ word: String, limit: Int = 2, rank: (Int32) -> Int) -> [Int32] {
        let bytes = Array(word.utf8)
        guard (3...6).contains(bytes.count), bytes.allSatisfy({ $0 >= 97 && $0 <= 122 }),
            !bytes.dropFirst().contains(where: Self.isVowel), Self.skeleton(bytes) == bytes,
            let found = skeletons[word]
        else { return [] }
        return found.sorted { (rank($0), $1) > (rank($1), $0) }.prefix(limit).map { $0 }
    }

    static func isVowel(_ c: UInt8) -> Bool { c == 97 || c == 101 || c == 105 || c == 111 || c == 117 }

    /// The first letter, then the consonants, each run of one letter once: "tomorrow" → "tmrw", "messag" → "msg".
    static func skeleton(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, c) in bytes.enumerated() where i == 0 || !isVowel(c) {
            if out.last != c { out.append(c) }
        }
        return out
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

extension TypoMatcher {
    /// One turn's lookups of unknown words: each distinct word is looked up once, however often the turn repeats it
    /// (a pasted log of one unknown word would otherwise pay a lookup per repeat, a thousand in a turn cut to the
    /// picker's last 4,000 characters). What a word finds does not depend on where it stands, only its weight does.
    struct Memo {
        let matcher: TypoMatcher
        /// Whether abbreviations are looked up too (`abbreviationWeight` > 0).
        let abbreviations: Bool
        private var found: [String: (typos: [Int32], abbreviated: [Int32])] = [:]
        /// How many words were looked up: what a spec counts.
        private(set) var lookups = 0

        init(_ matcher: TypoMatcher, abbreviations: Bool) {
            self.matcher = matcher
            self.abbreviations = abbreviations
        }

        /// `candidates` and `abbreviated` of `word`, looked up the first time only.
        /// A word no lookup would take (too long, or not plain letters) finds nothing and is not hashed: hashing a
        /// long run of combining marks costs the square of its length.
        mutating func matches(_ word: String, rank: (Int32) -> Int) -> (typos: [Int32], abbreviated: [Int32]) {
            guard word.utf8.count <= TypoMatcher.maximumLength, word.utf8.allSatisfy({ $0 >= 97 && $0 <= 122 }) else {
                return ([], [])
            }
            if let known = found[word] { return known }
            lookups += 1
            let near = (
                typos: matcher.candidates(word, rank: rank),
                abbreviated: abbreviations ? matcher.abbreviated(word, rank: rank) : []
            )
            found[word] = near
            return near
        }
    }
}
