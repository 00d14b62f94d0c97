/// "did you mean ...?" for misspelt names: config keys (`bse_url` → `base_url`), slash commands
/// (`/hepl` → `/help`), task types. One place so every face suggests the same way.
///
/// Distance is Damerau–Levenshtein in its optimal-string-alignment form: insertions, deletions,
/// substitutions and swaps of two neighbours each cost 1, so `hepl` is one edit from `help`.
public enum DidYouMean {
    /// Edit distance between `a` and `b`, counting an adjacent transposition as one edit.
    public static func distance(_ a: String, _ b: String) -> Int {
        let s = Array(a.unicodeScalars)
        let t = Array(b.unicodeScalars)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        let width = t.count + 1
        var d = [Int](repeating: 0, count: (s.count + 1) * width)
        for i in 0...s.count { d[i * width] = i }
        for j in 0...t.count { d[j] = j }
        for i in 1...s.count {
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                var best = min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    best = min(best, d[(i - 2) * width + j - 2] + 1)
                }
                d[i * width + j] = best
            }
        }
        return d[s.count * width + t.count]
    }

    /// The closest candidate, when it is close enough to be what was meant: at most 2 edits and fewer
    /// edits than the word has characters (so `x` does not "mean" `ui`). Failing that, the only candidate
    /// that starts with `word` (`hist` → `history`). Ties go to the earlier candidate.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        let length = lowered.unicodeScalars.count
        var best: (name: String, distance: Int)?
        for c in candidates {
            // At least the difference in length apart: more than 2 is never taken, so it is not computed (a key of
            // 100,000 characters in a config file cost 3 s of distances in a debug build).
            let other = c.lowercased()
            guard abs(other.unicodeScalars.count - length) <= 2 else { continue }
            let d = distance(lowered, other)
            if d == 0 { return c }
            if let b = best, d >= b.distance { continue }
            best = (c, d)
        }
        if let best, best.distance <= 2, best.distance < word.count {
            return best.name
        }
        if !lowered.isEmpty {
            let prefixed = candidates.filter { $0.lowercased().hasPrefix(lowered) }
            if prefixed.count == 1 { return prefixed[0] }
        }
        return nil
    }
}
