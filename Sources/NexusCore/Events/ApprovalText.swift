/// How faces shorten an approval's details without hiding that they did: a value too long for the
/// screen keeps its start and says how many characters follow and how to see them whole. The request
/// itself (and the `approval_required` event) always carries the whole value.
public enum ApprovalText {
    /// `value` when it has at most `limit` characters; otherwise its first `limit` characters and
    /// "… 4,312 more characters (HOW to see them whole)".
    public static func shortened(_ value: String, to limit: Int, how: String) -> String {
        let count = value.count
        guard count > limit else { return value }
        let rest = count - limit
        let noun = rest == 1 ? "character" : "characters"
        return String(value.prefix(limit)) + "… \(grouped(rest)) more \(noun) (\(how) to see them whole)"
    }

    /// `4312` → "4,312".
    public static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + out
    }
}
