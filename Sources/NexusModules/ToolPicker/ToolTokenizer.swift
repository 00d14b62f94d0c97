/// Turns tool names, descriptions and user turns into comparable search terms.
///
/// Tool names are identifiers (`github__list_issues`, `getCurrentWeather`, `HTTPServer`), while users write
/// prose ("list the open issues"); both must land on the same terms. The tokenizer splits on anything that is
/// not a letter or digit (so `__` namespaces and snake_case separate), splits camelCase and acronym
/// boundaries, lower-cases ASCII, drops stop words and applies a light suffix-stripping stemmer so
/// "issues", "listing" and "created" meet "issue", "list" and "create". It works on UTF-8 bytes: the picker
/// runs on every turn and must stay far below a millisecond. A brand written in camel case ("GitHub",
/// "PayPal", "YouTube") also yields the whole word (`github`), so a turn naming GitHub is not read as "git hub".
public enum ToolTokenizer {
    /// Words as written, split and lower-cased, before stop-word removal and stemming.
    public static func words(_ text: String) -> [String] {
        var out: [String] = []
        forEachWord(text) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    /// Search terms: words without stop words, stemmed. Single letters are dropped; numbers are kept.
    /// `whole` are words left unstemmed, such as app names that only look like adverbs ("namely", "insightly").
    public static func terms(_ text: String, keepingWhole whole: Set<String> = []) -> [String] {
        var out: [String] = []
        forEachTerm(text, keepingWhole: whole) { out.append($0) }
        return out
    }

    /// Calls `body` with each search term of `text`, without building intermediate arrays (index build path).
    public static func forEachTerm(_ text: String, keepingWhole whole: Set<String> = [], _ body: (String) -> Void) {
        forEachWord(text) { bytes in term(bytes, keepingWhole: whole, body) }
        forEachCompound(text) { bytes in term(bytes, keepingWhole: whole, body) }
    }

    /// One word's search term: none for stop words and single letters, else the stemmed word.
    static func term(_ bytes: [UInt8], keepingWhole whole: Set<String> = [], _ body: (String) -> Void) {
        guard bytes.count > 1 else { return }
        let word = String(decoding: bytes, as: UTF8.self)
        guard !stopWords.contains(word) else { return }
        guard bytes.count > 3, !unstemmed.contains(word), !whole.contains(word), bytes.allSatisfy({ $0 < 0x80 }) else {
            body(word)
            return
        }
        var w = bytes
        stemBytes(&w)
        body(w.count == bytes.count && w == bytes ? word : String(decoding: w, as: UTF8.self))
    }

    /// Hands out, lower-cased, each run of letters that camel case splits into words ("GitHub" → `github`,
    /// "listIssues" → `listissues`): brand names are written so and must stay one term as well as their parts.
    static func forEachCompound(_ text: String, _ body: ([UInt8]) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var current: [UInt8] = []
            var split = false
            var prevLower = false
            func flush() {
                if split && current.count > 3 && current.count <= 24 { body(current) }
                current.removeAll(keepingCapacity: true)
                split = false
                prevLower = false
            }
            for c in bytes {
                let isUpper = c >= 65 && c <= 90
                let isLower = c >= 97 && c <= 122
                guard isUpper || isLower else {
                    flush()
                    continue
                }
                if isUpper && prevLower { split = true }
                current.append(isUpper ? c + 32 : c)
                prevLower = isLower
            }
            flush()
        }
    }

    /// Longer runs of word bytes are no word (a blob: a key, base64, a pasted line of CJK, a run of combining marks)
    /// and are left out. Swift hashes a string in canonical order, which costs the square of a run of combining marks
    /// of mixed classes (250 KB: 3.6 s a hash); every term is hashed, so no term may be that long.
    public static let maximumWordBytes = 64

    /// Splits on non-alphanumerics, camelCase and acronym boundaries; hands out lower-cased UTF-8 words of at most
    /// `maximumWordBytes`.
    static func forEachWord(_ text: String, _ body: ([UInt8]) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var current: [UInt8] = []
            current.reserveCapacity(24)
            var prev: UInt8 = 0
            var tooLong = false
            func flush() {
                if !current.isEmpty && !tooLong { body(current) }
                current.removeAll(keepingCapacity: true)
                tooLong = false
            }
            for i in 0..<bytes.count {
                let c = bytes[i]
                let isUpper = c >= 65 && c <= 90
                let isLower = c >= 97 && c <= 122
                let isDigit = c >= 48 && c <= 57
                guard isUpper || isLower || isDigit || c >= 0x80 else {
                    flush()
                    prev = 0
                    continue
                }
                if isUpper && !current.isEmpty {
                    let prevLowerOrDigit = (prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57)
                    let prevUpper = prev >= 65 && prev <= 90
                    let nextLower = i + 1 < bytes.count && bytes[i + 1] >= 97 && bytes[i + 1] <= 122
                    if prevLowerOrDigit || (prevUpper && nextLower) { flush() }
                }
                if current.count < maximumWordBytes {
                    current.append(isUpper ? c + 32 : c)
                } else {
                    tooLong = true
                }
                prev = c
            }
            flush()
        }
    }

    /// A light English stemmer (plural, -ing, -ed, -ly, final -e), enough to join word forms in tool text.
    public static func stem(_ word: String) -> String {
        guard word.utf8.count > 3, !unstemmed.contains(word) else { return word }
        var w = Array(word.utf8)
        guard w.allSatisfy({ $0 < 0x80 }) else { return word }
        stemBytes(&w)
        return String(decoding: w, as: UTF8.self)
    }

    @inline(__always) static func isVowel(_ c: UInt8) -> Bool {
        c == 97 || c == 101 || c == 105 || c == 111 || c == 117
    }

    /// Whether `w` is longer than `suffix` and ends with it (suffix given as ASCII bytes).
    @inline(__always) static func ends(_ w: [UInt8], _ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard w.count > n else { return false }
        let base = w.count - n
        let p = suffix.utf8Start
        for i in 0..<n where w[base + i] != p[i] { return false }
        return true
    }

    static func stemBytes(_ w: inout [UInt8]) {
        if ends(w, "ies") && w.count > 4 {
            w.removeLast(3)
            w.append(121)  // y
        } else if ends(w, "sses") {
            w.removeLast(2)
        } else if ends(w, "xes") || ends(w, "ches") || ends(w, "shes") || ends(w, "zzes") {
            w.removeLast(2)
        } else if ends(w, "s") && !ends(w, "ss") && !ends(w, "us") && !ends(w, "is") {
            w.removeLast()
        }
        var strippedVerb = false
        if ends(w, "ing") && w.count > 5 && w.dropLast(3).contains(where: isVowel) {
            w.removeLast(3)
            strippedVerb = true
        } else if ends(w, "ed") && w.count > 4 && w.dropLast(2).contains(where: isVowel) {
            w.removeLast(2)
            strippedVerb = true
        } else if ends(w, "ly") && w.count > 5 {
            w.removeLast(2)
        }
        if strippedVerb, w.count > 2, let last = w.last, w[w.count - 2] == last, !isVowel(last),
            last != 108, last != 115, last != 122  // keep "ll", "ss", "zz": call, pass, buzz
        {
            w.removeLast()
        }
        if w.count > 3, w.last == 101 { w.removeLast() }  // create/creating/created → creat
        if w.count > 3, w.last == 121, !isVowel(w[w.count - 2]) { w[w.count - 1] = 105 }  // y → i
    }

    /// Words whose ending only looks like a suffix.
    static let unstemmed: Set<String> = ["news", "series", "always", "sms", "aws", "dns", "gps", "https", "ios"]

    /// Words that carry no meaning for choosing a tool.
    public static let stopWords: Set<String> = [
        "a", "an", "the", "to", "of", "in", "on", "for", "at", "by", "from", "with", "into", "onto", "about",
        "and", "or", "but", "so", "if", "then", "than", "as", "be", "is", "are", "was", "were", "been", "am",
        "do", "does", "did", "can", "could", "will", "would", "should", "shall", "may", "might", "must",
        "i", "me", "my", "mine", "we", "us", "our", "you", "your", "it", "its", "this", "that", "these", "those",
        "there", "here", "what", "whats", "which", "who", "whom", "whose", "when", "where", "why", "how",
        "please", "pls", "some", "any", "all", "just", "also", "very", "too", "s", "im", "ive", "id", "let", "lets",
        "according", "using", "via", "per", "e", "g", "eg", "ie", "etc", "one", "up", "over", "much", "many",
    ]
}
