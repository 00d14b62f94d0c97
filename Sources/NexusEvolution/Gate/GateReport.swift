import NexusCore

/// Everything the gate found about one module folder: each check, the test and mutant counts and the
/// tools the module lists. The build pipeline puts it in the proof; `nexus modules validate` prints it.
public struct GateReport: Sendable, Equatable {
    public var checks: [GateCheck]
    public var testsPassed = 0
    public var testsTotal = 0
    public var mutantsKilled = 0
    public var mutantsTotal = 0
    /// Tool names the protocol check listed.
    public var tools: [String] = []
    /// Wall-clock time of the whole gate.
    public var seconds: Double = 0

    public init(checks: [GateCheck]) { self.checks = checks }

    /// Every check passed or was skipped.
    public var passed: Bool { !checks.isEmpty && checks.allSatisfy { $0.passed || $0.skipped } }
    /// The first failed check in gate order: what a repair attempt is asked to fix.
    public var firstFailure: GateCheck? { checks.first { !$0.passed && !$0.skipped } }
    /// Mutants killed ÷ mutants made (0 when none were made).
    public var mutationScore: Double { mutantsTotal == 0 ? 0 : Double(mutantsKilled) / Double(mutantsTotal) }

    public func check(_ name: String) -> GateCheck? { checks.first { $0.name == name } }

    public func json() -> JSONValue {
        [
            "passed": .bool(passed), "seconds": .number((seconds * 1000).rounded() / 1000),
            "first_failure": firstFailure.map { .string($0.name) } ?? .null,
            "category": firstFailure?.category.map { .string($0.rawValue) } ?? .null,
            "checks": .array(checks.map(\.json)),
            "tests": ["passed": .number(Double(testsPassed)), "total": .number(Double(testsTotal))],
            "mutants": [
                "killed": .number(Double(mutantsKilled)), "total": .number(Double(mutantsTotal)),
                "score": .number((mutationScore * 1000).rounded() / 1000),
            ],
            "tools": .array(tools.map { .string($0) }),
        ]
    }

    /// The report as `nexus modules validate` prints it: one line per check, evidence indented below.
    public func render(folder: String) -> String {
        var out = "gate: \(folder)\n"
        for c in checks {
            let mark = c.skipped ? "skip" : c.passed ? "pass" : "FAIL"
            let cat = c.category.map { " [\($0.rawValue)]" } ?? ""
            out += "  \(mark)  \(c.name)\(cat)  \(Self.format(c.seconds)) s\n"
            for line in c.evidence.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                out += "        \(line)\n"
            }
        }
        out += passed ? "accepted" : "rejected: \(firstFailure?.name ?? "no checks ran")"
        out += " (\(Self.format(seconds)) s; tests \(testsPassed)/\(testsTotal); mutants killed "
        out += "\(mutantsKilled)/\(mutantsTotal))\n"
        return out
    }

    static func format(_ s: Double) -> String {
        let ms = Int((s * 1000).rounded())
        let frac = ms % 1000
        return "\(ms / 1000)." + String(repeating: "0", count: 3 - String(frac).count) + String(frac)
    }
}
