#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How often people use a word in everyday English, which a tool catalogue cannot tell.
///
/// In 9,000 tool descriptions "last" and "tomorrow" occur only as the names of last_fm and tomorrow_io, so the
/// catalogue rates them as rare, telling words; yet people type them in every other turn ("ana's last message",
/// "remind me tomorrow"). This table, from the `wordfreq` project's English list (see the generated data file
/// for provenance and licence, and scripts/english-word-frequency.py for how it was made), gives each word's Zipf
/// frequency: log10 of its uses per billion words, from 3.0 ("gmail" 3.3, "slack" 3.7) through 5.0 ("box",
/// "tomorrow") to 7.7 ("the"). Words under 3.0 are not listed: they are rare enough to be meant.
///
/// Looked up by search term (stemmed, as `ToolTokenizer` makes them): the forms of one stem add up, so
/// "name", "names", "named" and "namely" all make the term `nam` as common as they are together.
public enum EnglishWordFrequency {
    /// Zipf frequency of a search term, or nil when no word with that stem is common (Zipf < 3.0).
    public static func zipf(ofTerm term: String) -> Float? { byTerm[term] }

    /// The least Zipf frequency listed.
    public static let floor: Float = 3.0

    static let byTerm: [String: Float] = {
        var perBillion: [String: Double] = [:]
        var zipf: Double = 0
        for line in table.split(separator: "\n") {
            var first = true
            for field in line.split(separator: " ") {
                if first {
                    first = false
                    zipf = (Double(field) ?? 0) / 10
                    continue
                }
                // A stop word has no term; a stem's forms add up.
                ToolTokenizer.term(Array(field.utf8)) { perBillion[$0, default: 0] += pow(10, zipf) }
            }
        }
        return perBillion.mapValues { Float(log10($0)) }
    }()
}
