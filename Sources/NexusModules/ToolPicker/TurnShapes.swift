/// What the shape of a typed token says about a turn, whatever its words.
///
/// People name things by writing them: "#releases" is a chat channel, "noreply@github.com" an email address,
/// "https://news.site/a/1" a web page, "notes.txt" or "/tmp/bug.png" a file, "src/" a directory, "ENG-412" an issue
/// of a tracker. The shape implies the kind of thing the turn is about ("channel", "email", "url", "file",
/// "directory", "issue"), which tool text names in those words; and the words inside such a
/// name are the name, not the intent: "github" in "noreply@github.com" does not make the turn about GitHub, "news"
/// in a URL about a news app, "draft" in "draft.md" about email drafts, "#incidents" about incident tools, nor
/// "PAY-93" about payments. Works on bytes in one pass: it runs on every turn.
enum TurnShapes {
    struct Reading {
        /// The turn with its addresses, URLs, file and directory names blanked out.
        var text: String
        /// The blanked tokens, for whatever weight the caller gives their words.
        var addresses: [String]
        /// Terms the shapes imply, each once, in the order first seen.
        var implied: [String]
    }

    /// `isAppName` tells a word that is an app's whole name ("removebg", "lastfm"): "remove.bg" names that app.
    static func read(_ turn: String, isAppName: (String) -> Bool = { _ in false }) -> Reading {
        var turn = turn
        return turn.withUTF8 { bytes in
            var text: [UInt8] = []
            text.reserveCapacity(bytes.count)
            var addresses: [String] = []
            var implied: [String] = []
            func imply(_ term: String) { if !implied.contains(term) { implied.append(term) } }
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, !isSpace(bytes[end]) { end += 1 }
                let token = trimmed(bytes, start, end)
                var blank = false
                if let kind = shape(bytes, token.lowerBound, token.upperBound),
                    kind != "file" || !isAppName(joinedLetters(bytes[token]))
                {
                    imply(kind)
                    blank = true
                    addresses.append(String(decoding: bytes[token], as: UTF8.self))
                }
                if blank {
                    text.append(contentsOf: bytes[start..<token.lowerBound])
                    text.append(contentsOf: [UInt8](repeating: 32, count: token.count))
                    text.append(contentsOf: bytes[token.upperBound..<end])
                } else {
                    text.append(contentsOf: bytes[start..<end])
                }
                if end < bytes.count { text.append(bytes[end]) }
                start = end + 1
            }
            return Reading(text: String(decoding: text, as: UTF8.self), addresses: addresses, implied: implied)
        }
    }

    /// The kind of thing a token's shape names, if any.
    static func shape(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> String? {
        // A pasted blob is no name: past URLs' customary 2 KB limit, nothing is scanned (the turn stays linear).
        guard hi - lo <= 2048 else { return nil }
        if hi - lo >= 2, b[lo] == 35, isLetter(b[lo + 1]) { return "channel" }  // "#releases"
        guard hi - lo >= 3 else { return nil }
        if isIssueKey(b, lo, hi) { return "issue" }
        let token = b[lo..<hi]
        if contains(token, "://") || starts(token, "www.") { return "url" }
        if let at = token.firstIndex(of: 64), at > lo, token[(at + 1)...].contains(46), b[hi - 1] != 46 {
            return "email"
        }
        if b[hi - 1] == 47, hi - lo >= 2, isLetter(b[hi - 2]) { return "directory" }  // "src/"
        if b[lo] == 47 || starts(token, "~/") || starts(token, "./") { return "file" }  // "/tmp/bug.png"
        // "notes.txt": a name, a dot and an extension of one to five letters and digits that starts with a letter
        // (so "48.85" and "v2.4.0" are numbers, not files).
        // A bare domain ("last.fm", "acme.io") names a site or an app, not a file: it implies nothing.
        guard let dot = token.lastIndex(of: 46), dot > lo + 1, dot < hi - 1, hi - dot - 1 <= 5, isLetter(b[dot + 1]),
            isWordByte(b[dot - 1]), token[(dot + 1)...].allSatisfy({ isLetter($0) || ($0 >= 48 && $0 <= 57) }),
            !topLevelDomains.contains(String(decoding: token[(dot + 1)...], as: UTF8.self).lowercased())
        else { return nil }
        return "file"
    }

    /// "ENG-412", "OPS-1201": a project key in capitals, a dash and a number, as issue trackers number issues.
    static func isIssueKey(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        var i = lo
        while i < hi, (b[i] >= 65 && b[i] <= 90) || (i > lo && b[i] >= 48 && b[i] <= 57) { i += 1 }
        guard i - lo >= 2, i - lo <= 10, i < hi - 1, b[i] == 45 else { return false }
        return b[(i + 1)..<hi].allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// The most used top-level domains: "name.com" is a site, "name.txt" a file.
    static let topLevelDomains: Set<String> = [
        "com", "org", "net", "io", "co", "ai", "dev", "app", "me", "fm", "tv", "us", "uk", "de", "fr", "eu", "info",
        "biz", "gov", "edu",
    ]

    /// The token's letters and digits, lower-cased: "Remove.bg" → "removebg".
    static func joinedLetters(_ token: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        let kept = token.compactMap { c -> UInt8? in isLetter(c) ? c | 0x20 : (c >= 48 && c <= 57 ? c : nil) }
        return String(decoding: kept, as: UTF8.self)
    }

    /// The token without the punctuation people put around it: "(notes.txt)," → "notes.txt".
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Range<Int> {
        var lo = lo
        var hi = hi
        while lo < hi, isEdgePunctuation(b[lo]) { lo += 1 }
        while hi > lo, isEdgePunctuation(b[hi - 1]) || b[hi - 1] == 46 || b[hi - 1] == 63 || b[hi - 1] == 33 {
            hi -= 1
        }
        return lo..<hi
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
    static func isLetter(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) }
    static func isWordByte(_ c: UInt8) -> Bool { isLetter(c) || (c >= 48 && c <= 57) || c == 95 || c == 45 }
    /// Quotes, brackets, commas, colons and semicolons.
    static func isEdgePunctuation(_ c: UInt8) -> Bool {
        c == 34 || c == 39 || c == 40 || c == 41 || c == 60 || c == 62 || c == 91 || c == 93 || c == 44 || c == 58
            || c == 59 || c == 96
    }

    static func contains(_ token: Slice<UnsafeBufferPointer<UInt8>>, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard token.count >= n else { return false }
        var i = token.startIndex
        while i + n <= token.endIndex {
            if starts(token[i...], s) { return true }
            i += 1
        }
        return false
    }

    static func starts(_ token: Slice<UnsafeBufferPointer<UInt8>>, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard token.count >= n else { return false }
        let p = s.utf8Start
        for k in 0..<n where token[token.startIndex + k] != p[k] { return false }
        return true
    }
}
