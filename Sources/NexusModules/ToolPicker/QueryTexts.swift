/// What of a turn the semantic half embeds: the turn, and for a long turn its last sentence too.
///
/// People put what they want at the end of a long turn ("…been debugging this for two days, the fix is in my
/// branch. can you open a pull request for it"), and an embedding model averages what it reads and reads only its
/// first 128-512 tokens: a long turn's intent is diluted by its context, or cut off. The lexical half weighs the
/// last words more (`ToolIndex.Routing.contextWindow`); the semantic half embeds the tail as a second input of the
/// same request, and a tool's similarity is the better of the two (`SemanticIndex.rank(bestOf:k:)`).
public enum QueryTexts {
    /// A turn of more words than this also has its tail embedded.
    public static let longTurnWords = 20
    /// The tail is the last sentence, of at least `minimumTailWords` and at most `tailWords` words.
    public static let tailWords = 24
    public static let minimumTailWords = 3

    /// `[turn]`, or `[turn, tail]` for a long turn.
    public static func forEmbedding(_ turn: String) -> [String] {
        let words = turn.split(whereSeparator: \.isWhitespace)
        guard words.count > longTurnWords else { return [turn] }
        var start = words.count
        while start > 0 && words.count - start < tailWords {
            let taken = words.count - start
            if taken >= minimumTailWords, let end = words[start - 1].last, ".!?;:".contains(end) { break }
            start -= 1
        }
        return [turn, words[start...].joined(separator: " ")]
    }
}
