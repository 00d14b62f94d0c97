import NexusCore

/// The one-sentence lesson a model gives when a repair fixed a failed check, and the rules that keep it harmless.
/// A lesson is hostile input (a model wrote it, and it is sent with every later build): it is cut to one line of at
/// most `maxCharacters`, control and format characters go, and it is refused outright when it names a URL, a host,
/// an address, a path, something that looks like a credential, or a grant (network, filesystem, sandbox, approval,
/// the gate), or holds anything but plain ASCII (look-alike letters): a lesson may say how to write code, never what
/// a module may reach. It only ever becomes text in a build prompt; the gate, the manifest rules and grants are code
/// it cannot touch.
public enum EvolveLesson {
    public static let maxCharacters = 200

    /// The request for a lesson after `category` (check `check`) was fixed by a repair.
    public static func prompt(category: String, check: String) -> String {
        """
        A NEXUS module you wrote failed the gate's \(check) check (category: \(category)) and your repair fixed it.
        In ONE sentence of at most \(maxCharacters) characters, state a general lesson for writing future NEXUS \
        modules: what to do, not anything about this particular API. No URLs, hosts, paths, credentials, \
        permissions or grants. Reply with the sentence only.
        """
    }

    /// The lesson `raw` stands for, or nil when it is refused.
    public static func sanitise(_ raw: String) -> String? {
        guard raw.utf8.count <= 64 << 10 else { return nil }
        let line = raw.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        var text = String(
            String.UnicodeScalarView(
                line.unicodeScalars.filter { s in
                    switch s.properties.generalCategory {
                    case .control, .format, .privateUse, .surrogate, .unassigned, .lineSeparator,
                        .paragraphSeparator:
                        return false
                    default: return true
                    }
                }))
        text = String(text.unicodeScalars.map { typographic[$0] ?? String($0) }.joined())
        text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        while let f = text.first, "\"'`*-• ".contains(f) { text.removeFirst() }
        while let l = text.last, "\"'` ".contains(l) { text.removeLast() }
        guard text.count >= 12, text.count <= maxCharacters, refusal(text) == nil else { return nil }
        return text
    }

    /// Typographic punctuation a model may write, as the plain ASCII it stands for (what is left must be ASCII).
    static let typographic: [Unicode.Scalar: String] = [
        "\u{2018}": "'", "\u{2019}": "'", "\u{201C}": "\"", "\u{201D}": "\"", "\u{2010}": "-", "\u{2011}": "-",
        "\u{2012}": "-", "\u{2013}": "-", "\u{2014}": "-", "\u{2026}": "...", "\u{00A0}": " ", "\u{202F}": " ",
    ]

    /// Why `text` may not be a lesson, or nil.
    public static func refusal(_ text: String) -> String? {
        let lower = text.lowercased()
        for marker in ["://", "www.", "localhost", "http:", "https:", "ftp:", "file:", "mailto:", "data:"]
        where lower.contains(marker) {
            return "names a URL or host"
        }
        for word in [
            "network", "allow", "grant", "permission", "filesystem", "sandbox", "approv", "gate", "jail", "sudo",
            "password", "secret", "api key", "apikey", "private key", "ignore",
            "disregard", "instruction", "system prompt", "manifest rule", "policy", "sensitive", "bypass", "override",
        ] where lower.contains(word) {
            return "mentions \(word)"
        }
        // The build prompt's own markup (<request>, "--- section ---", fences): a lesson must not open a section.
        for mark in ["<", ">", "---", "```", "==="] where text.contains(mark) {
            return "imitates the prompt's markup (\(mark))"
        }
        if text.contains("*") || text.contains("~") || text.contains("\\") || text.contains("$") {
            return "names a path"
        }
        // The word and marker lists above are ASCII: a look-alike letter (Cyrillic "і" in "іgnore"), a full-width
        // "ｈｔｔｐ：／／" or a sentence in another script would walk past them, so a lesson is plain ASCII.
        if let odd = text.unicodeScalars.first(where: { !$0.isASCII }) {
            return "holds U+\(String(odd.value, radix: 16, uppercase: true)), not plain ASCII"
        }
        let words = text.split(separator: " ")
        for w in words {
            let core = w.trimmingCharacters(in: ".,;:!?()[]{}\"'")
            if core.contains("/") { return "names a path" }
            if core.contains("@") { return "names an address" }
            // host.tld, 1.2.3.4: a dot between two letters or digits that is not a sentence's end.
            let parts = core.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count >= 2,
                parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }),
                !["e.g", "i.e", "etc"].contains(core.lowercased())
            {
                return "names a host or a file"
            }
            // Long unbroken runs of letters and digits look like keys.
            if core.count >= 24 && core.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
                && core.contains(where: \.isNumber)
            {
                return "looks like a credential"
            }
        }
        return nil
    }

    /// The form two lessons are compared in: lowercase letters and digits only.
    public static func key(_ lesson: String) -> String {
        String(lesson.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// `lessons` without refusals and duplicates, in order.
    public static func merged(_ lessons: [String]) -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for l in lessons {
            guard let s = sanitise(l), seen.insert(key(s)).inserted else { continue }
            out.append(s)
        }
        return out
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
