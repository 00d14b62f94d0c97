/// A line diff between two file sets: what a repair changed, and what an upgrade changes against the
/// installed version. Unified-style text (`--- a/PATH`, `+++ b/PATH`, `-`/`+` lines) plus the count of
/// changed lines, the attempt record's "diff size".
public struct FileSetDiff: Sendable, Equatable {
    public var text: String
    /// Lines removed plus lines added, over all files.
    public var changedLines: Int

    /// Above this many line pairs a file's middle is shown as replaced whole instead of diffed line by
    /// line, so a diff stays fast on the largest files the protocol allows.
    static let maxCells = 4_000_000

    public init(from old: [BuildFile], to new: [BuildFile]) {
        var text = ""
        var changed = 0
        let oldByPath = Dictionary(old.map { ($0.path, $0.content) }, uniquingKeysWith: { a, _ in a })
        let newByPath = Dictionary(new.map { ($0.path, $0.content) }, uniquingKeysWith: { a, _ in a })
        let paths = Set(oldByPath.keys).union(newByPath.keys).sorted()
        for path in paths {
            let a = oldByPath[path].map(Self.lines) ?? []
            let b = newByPath[path].map(Self.lines) ?? []
            if oldByPath[path] == newByPath[path] { continue }
            let ops = Self.diff(a, b)
            let n = ops.filter { $0.first != " " }.count
            if n == 0 { continue }
            changed += n
            text += "--- " + (oldByPath[path] == nil ? "/dev/null" : "a/" + path) + "\n"
            text += "+++ " + (newByPath[path] == nil ? "/dev/null" : "b/" + path) + "\n"
            text += Self.hunks(ops).joined(separator: "\n") + "\n"
        }
        self.text = text
        self.changedLines = changed
    }

    static func lines(_ s: String) -> [Substring] {
        var l = s.split(separator: "\n", omittingEmptySubsequences: false)
        if s.hasSuffix("\n") { l.removeLast() }
        return l
    }

    /// Every line of both sides prefixed with " ", "-" or "+", in order.
    static func diff(_ a: [Substring], _ b: [Substring]) -> [String] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let am = Array(a[prefix..<(a.count - suffix)])
        let bm = Array(b[prefix..<(b.count - suffix)])
        var out = a[..<prefix].map { " " + $0 }
        if am.count * bm.count > maxCells || am.isEmpty || bm.isEmpty {
            out += am.map { "-" + $0 } + bm.map { "+" + $0 }
        } else {
            // Longest common subsequence, walked from the front.
            let w = bm.count + 1
            var table = [Int32](repeating: 0, count: (am.count + 1) * w)
            for i in stride(from: am.count - 1, through: 0, by: -1) {
                for j in stride(from: bm.count - 1, through: 0, by: -1) {
                    table[i * w + j] =
                        am[i] == bm[j]
                        ? table[(i + 1) * w + j + 1] + 1 : max(table[(i + 1) * w + j], table[i * w + j + 1])
                }
            }
            var i = 0
            var j = 0
            while i < am.count || j < bm.count {
                if i < am.count, j < bm.count, am[i] == bm[j] {
                    out.append(" " + am[i])
                    i += 1
                    j += 1
                } else if i < am.count, j == bm.count || table[(i + 1) * w + j] >= table[i * w + j + 1] {
                    out.append("-" + am[i])
                    i += 1
                } else {
                    out.append("+" + bm[j])
                    j += 1
                }
            }
        }
        out += a[(a.count - suffix)...].map { " " + $0 }
        return out
    }

    /// The changed lines with two lines of context, runs separated by `@@`.
    static func hunks(_ ops: [String]) -> [String] {
        let changed = ops.indices.filter { ops[$0].first != " " }
        var keep = Set<Int>()
        for i in changed { for k in max(0, i - 2)...min(ops.count - 1, i + 2) { keep.insert(k) } }
        var out: [String] = []
        var last = -2
        for i in keep.sorted() {
            if i != last + 1 { out.append("@@") }
            out.append(ops[i])
            last = i
        }
        return out
    }
}
