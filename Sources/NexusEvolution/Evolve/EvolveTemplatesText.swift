import NexusCore

/// `nexus evolve templates`: the base and each evolved version — parent, lessons, the trial's score against the
/// parent's, the decision — with the adopted one marked. Fits 80 columns.
public enum EvolveTemplatesText {
    public static func text(
        base: BuildTemplate, versions: [EvolvedTemplates.Version], adopted: Int, lessons: Bool
    ) -> String {
        func label(_ n: Int) -> String { EvolvedTemplates.label(base: base.version, number: n) }
        func score(_ s: EvolvedTemplates.Score?) -> String {
            s.map { "\($0.solved)/\($0.total) r\($0.repairs)" } ?? "-"
        }
        var out = [
            "  " + cells(["version", "parent", "lessons", "trial", "parent's", "decision"]),
            (adopted == 0 ? "* " : "  ") + cells([label(0), "-", "0", "-", "-", "base (templates/python)"]),
        ]
        for v in versions {
            out.append(
                (adopted == v.number ? "* " : "  ")
                    + cells([
                        label(v.number), label(v.parent), "\(v.lessons.count)", score(v.trial), score(v.parentScore),
                        v.decision,
                    ]))
            if lessons { out += v.lessons.flatMap { wrap("- " + $0, indent: 6, width: 80) } }
        }
        out.append("* builds use \(label(adopted))")
        out.append("trial, parent's: solved/total and repairs (r) on the regression set")
        return out.joined(separator: "\n")
    }

    static func cells(_ c: [String]) -> String {
        zip(c, [12, 12, 8, 10, 10, 24]).map { $0.0.padded(to: $0.1) }.joined(separator: " ").trimmingTrailing
    }

    /// `text` in lines of at most `width` columns, each indented by `indent` (the first one too).
    static func wrap(_ text: String, indent: Int, width: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && indent + line.count + 1 + word.count > width {
                lines.append(pad + line)
                line = "  "
            }
            line += (line.isEmpty || line == "  " ? "" : " ") + word
        }
        if !line.trimmingSpaces.isEmpty { lines.append(pad + line) }
        return lines
    }
}

extension String {
    fileprivate var trimmingTrailing: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
