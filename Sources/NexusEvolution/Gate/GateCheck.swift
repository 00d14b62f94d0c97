import NexusCore

/// One check of the module gate: whether it passed, why not (the category the repair prompt names),
/// the evidence a person or a model can act on, and how long it took.
public struct GateCheck: Sendable, Equatable {
    /// "syntax", "policy", "manifest", "protocol", "tests", "mutation" or "contract".
    public var name: String
    public var passed: Bool
    /// Not run, and not held against the module (the contract check without a spec or a mock).
    public var skipped: Bool
    /// Why it failed; nil when it passed or was skipped.
    public var category: FailureCategory?
    /// Human-readable and bounded (at most `GateCheck.maxEvidenceBytes`): file:line, assertion, mutants.
    public var evidence: String
    public var seconds: Double

    /// Evidence beyond this is cut, with a note saying so.
    public static let maxEvidenceBytes = 8 * 1024

    public init(
        name: String, passed: Bool, skipped: Bool = false, category: FailureCategory? = nil, evidence: String,
        seconds: Double
    ) {
        self.name = name
        self.passed = passed
        self.skipped = skipped
        self.category = passed || skipped ? nil : (category ?? .policy)
        self.evidence = Self.bounded(evidence)
        self.seconds = seconds
    }

    public static func pass(_ name: String, _ evidence: String, seconds: Double) -> GateCheck {
        GateCheck(name: name, passed: true, evidence: evidence, seconds: seconds)
    }

    public static func fail(_ name: String, _ category: FailureCategory, _ evidence: String, seconds: Double)
        -> GateCheck
    {
        GateCheck(name: name, passed: false, category: category, evidence: evidence, seconds: seconds)
    }

    public static func skip(_ name: String, _ evidence: String) -> GateCheck {
        GateCheck(name: name, passed: false, skipped: true, evidence: evidence, seconds: 0)
    }

    /// Cuts `text` to the evidence limit on a character boundary.
    static func bounded(_ text: String) -> String {
        guard text.utf8.count > maxEvidenceBytes else { return text }
        var out = ""
        var used = 0
        for ch in text {
            used += ch.utf8.count
            if used > maxEvidenceBytes - 40 { break }
            out.append(ch)
        }
        return out + "\n… (evidence cut at 8 KB)"
    }

    public var json: JSONValue {
        var o: [(String, JSONValue)] = [
            ("name", .string(name)), ("passed", .bool(passed)), ("skipped", .bool(skipped)),
            ("category", category.map { .string($0.rawValue) } ?? .null), ("evidence", .string(evidence)),
            ("seconds", .number((seconds * 1000).rounded() / 1000)),
        ]
        if skipped { o[1] = ("passed", .bool(false)) }
        return .object(JSONObject(o))
    }
}
