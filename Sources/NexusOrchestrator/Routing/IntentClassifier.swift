import NexusCore

/// Picks the task type of a chat turn with fast heuristics (the seed's LIDM classifier, first stage).
///
/// Keywords, length and the presence of code decide most turns in microseconds; the decision carries
/// its reason so `/route` and the pipeline pane can show why. When nothing matches well, `confident`
/// is false and the orchestrator may ask the classification model (`[classifier] use_model_when_unclear`).
public struct IntentClassifier: Sendable {
    public struct Decision: Sendable, Equatable {
        public var taskType: TaskType
        public var reason: String
        public var confident: Bool
    }

    /// Custom keywords from `[tasks.NAME] keywords`, checked before the built-in rules.
    let customKeywords: [(TaskType, [String])]

    public init(customKeywords: [TaskType: [String]] = [:]) {
        self.customKeywords = customKeywords.sorted { $0.key < $1.key }.map {
            ($0.key, $0.value.map { $0.lowercased() })
        }
    }

    static let buildPhrases = [
        "build me", "build a module", "create a module", "make me a module", "make a module", "generate a module",
        "write a module", "integrate with", "add an integration", "build an integration", "connect to the",
    ]
    static let codeWords = [
        "function", "implement", "refactor", "compile", "stack trace", "traceback", "regex", "unit test for",
        "write code", "write a script", "code that", "snippet", "class ", "struct ", "bug", "python", "swift",
        "javascript", "typescript", "rust", "golang", "sql query", "algorithm", "api endpoint",
    ]
    static let googleWords = [
        "gmail", "google calendar", "google drive", "google sheets", "google docs", "youtube", "google maps",
        "bigquery", "firebase", "google api",
    ]
    static let validationWords = [
        "run the tests", "validate", "does this test", "test pass", "tests pass", "check the test", "verify that",
    ]
    static let classificationWords = [
        "classify", "categorize", "categorise", "sentiment", "label this", "which category", "tag this",
    ]
    static let reasoningWords = [
        "explain why", "analyze", "analyse", "compare", "trade-off", "tradeoff", "design a", "architecture",
        "prove", "step by step", "pros and cons", "strategy", "plan for",
    ]

    /// Bytes of the input examined for keywords: the head is where intent is stated, and a bound keeps
    /// a 1 MB paste from costing more than a short question.
    static let scanLimit = 16 * 1024

    public func classify(_ input: String) -> Decision {
        let text = LowercasedBytes(input, limit: Self.scanLimit)
        for (task, words) in customKeywords {
            if let w = words.first(where: { text.contains($0) }) {
                return Decision(taskType: task, reason: "keyword \"\(w)\" ([tasks.\(task)])", confident: true)
            }
        }
        if let p = Self.buildPhrases.first(where: { text.contains($0) }) {
            return Decision(taskType: .buildModule, reason: "phrase \"\(p)\"", confident: true)
        }
        if text.contains("```")
            || Self.looksLikeCode(String(decoding: input.utf8.prefix(Self.scanLimit), as: UTF8.self))
        {
            return Decision(taskType: .codeGeneration, reason: "contains code", confident: true)
        }
        if let w = Self.googleWords.first(where: { text.contains($0) }) {
            return Decision(taskType: .googleAPI, reason: "keyword \"\(w)\"", confident: true)
        }
        if let w = Self.validationWords.first(where: { text.contains($0) }) {
            return Decision(taskType: .testValidation, reason: "keyword \"\(w)\"", confident: true)
        }
        if let w = Self.classificationWords.first(where: { text.contains($0) }) {
            return Decision(taskType: .classification, reason: "keyword \"\(w)\"", confident: true)
        }
        if let w = Self.codeWords.first(where: { text.contains($0) }) {
            return Decision(taskType: .codeGeneration, reason: "keyword \"\(w.trimmingSpaces)\"", confident: true)
        }
        if let w = Self.reasoningWords.first(where: { text.contains($0) }) {
            return Decision(taskType: .complexReasoning, reason: "keyword \"\(w)\"", confident: true)
        }
        let words = Self.wordCount(input)
        if words > 120 {
            return Decision(taskType: .complexReasoning, reason: "long input (\(words) words)", confident: false)
        }
        if words <= 25 {
            return Decision(taskType: .simpleQuery, reason: "short input (\(words) words)", confident: words <= 12)
        }
        return Decision(taskType: .simpleQuery, reason: "no strong signal (\(words) words)", confident: false)
    }

    static func wordCount(_ s: String) -> Int {
        var n = 0
        var inWord = false
        for b in s.utf8 {
            let space = b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
            if !space && !inWord { n += 1 }
            inWord = !space
        }
        return n
    }

    /// Lines that look like source: braces with semicolons, `def `/`func ` at line start, `=>`, `#include`.
    static func looksLikeCode(_ s: String) -> Bool {
        var hits = 0
        for line in s.split(separator: "\n", omittingEmptySubsequences: true).prefix(200) {
            let t = line.drop(while: { $0 == " " || $0 == "\t" })
            if t.hasPrefix("def ") || t.hasPrefix("func ") || t.hasPrefix("fn ") || t.hasPrefix("#include")
                || t.hasPrefix("import ") || t.hasPrefix("return ") || t.hasSuffix("{") || t.hasSuffix(";")
            {
                hits += 1
            }
        }
        return hits >= 2
    }
}

/// ASCII-lowercased bytes of a bounded prefix, with a plain substring search: keyword checks in
/// microseconds without Foundation.
struct LowercasedBytes {
    let bytes: [UInt8]

    init(_ s: String, limit: Int) {
        bytes = s.utf8.prefix(limit).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    func contains(_ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard let first = n.first, n.count <= bytes.count else { return n.isEmpty }
        var i = 0
        let last = bytes.count - n.count
        while i <= last {
            if bytes[i] == first {
                var j = 1
                while j < n.count && bytes[i + j] == n[j] { j += 1 }
                if j == n.count { return true }
            }
            i += 1
        }
        return false
    }
}
