import NexusCore
import NexusPOSIX
import NexusStore

/// The gate corpus (testdata/gate-corpus): good modules the gate must accept, broken ones it must reject, and
/// malicious ones it must reject with the category expected.json names. `nexus bench gate` and the corpus
/// test both run it through here, so the figures in BENCHMARKS.md and the test's verdict are the same thing.
public struct GateCorpus: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case good, broken, malicious }

    /// One corpus module and what the gate said about it.
    public struct Entry: Sendable {
        public var kind: Kind
        public var name: String
        /// For broken and malicious modules: the category the gate should reject them with.
        public var expectedCategory: FailureCategory?
        public var report: GateReport?
        /// The gate could not run (thrown `GateError`).
        public var error: String?

        public var accepted: Bool { report?.passed == true }
        /// Accepted if good; rejected (with the expected category, when one is named) otherwise.
        public var correct: Bool {
            guard let report else { return false }
            if kind == .good { return report.passed }
            guard !report.passed else { return false }
            return expectedCategory == nil || report.firstFailure?.category == expectedCategory
        }
        public var seconds: Double { report?.seconds ?? .nan }
    }

    public let root: String

    public init(root: String) { self.root = root }

    /// testdata/gate-corpus beside templates/python (`NEXUS_GATE_CORPUS` overrides).
    public static func locate(templates: String, environment: [String: String]) -> String? {
        if let c = environment["NEXUS_GATE_CORPUS"], !c.isEmpty { return c }
        var dir = templates
        for _ in 0..<2 {
            guard let slash = dir.lastIndex(of: "/") else { return nil }
            dir = String(dir[..<slash])
        }
        let corpus = dir + "/testdata/gate-corpus"
        return FileSystem.kind(of: corpus + "/expected.json") == .file ? corpus : nil
    }

    /// (kind, name, expected category) for every module expected.json lists, in a stable order.
    public func modules() throws -> [(Kind, String, FailureCategory?)] {
        let json = try JSONValue(parsing: try FileSystem.readText(root + "/expected.json"))
        var out: [(Kind, String, FailureCategory?)] = []
        for kind in Kind.allCases {
            guard let o = json[kind.rawValue]?.objectValue else { continue }
            for name in o.keys.sorted() {
                out.append((kind, name, o[name]?.stringValue.flatMap(FailureCategory.init(rawValue:))))
            }
        }
        return out
    }

    /// Runs the gate on every module, one at a time; `progress` hears each result as it comes.
    public func run(gate: ModuleGate, progress: (@Sendable (Entry) -> Void)? = nil) async throws -> [Entry] {
        var entries: [Entry] = []
        for (kind, name, category) in try modules() {
            var entry = Entry(kind: kind, name: name, expectedCategory: category)
            do {
                entry.report = try await gate.run(folder: "\(root)/\(kind.rawValue)/\(name)")
            } catch {
                entry.error = error.userMessage
            }
            progress?(entry)
            entries.append(entry)
        }
        return entries
    }

    /// The corpus's verdict in the issue's terms.
    public struct Summary: Sendable {
        public var accepted: [Kind: Int] = [:]
        public var total: [Kind: Int] = [:]
        public var wrongCategory: [String] = []
        /// Accepted broken or malicious modules ÷ all broken and malicious modules.
        public var falseAcceptRate: Double
        /// Rejected good modules ÷ good modules.
        public var falseRejectRate: Double
        public var maliciousAccepted: Int

        public init(_ entries: [Entry]) {
            for e in entries {
                total[e.kind, default: 0] += 1
                if e.accepted { accepted[e.kind, default: 0] += 1 }
                if e.kind != .good, e.report?.passed == false, !e.correct {
                    let got = e.report?.firstFailure?.category?.rawValue ?? "none"
                    wrongCategory.append(
                        "\(e.kind.rawValue)/\(e.name): \(got), expected \(e.expectedCategory?.rawValue ?? "-")")
                }
            }
            let bad = (total[.broken] ?? 0) + (total[.malicious] ?? 0)
            let badAccepted = (accepted[.broken] ?? 0) + (accepted[.malicious] ?? 0)
            falseAcceptRate = bad == 0 ? 0 : Double(badAccepted) / Double(bad)
            let good = total[.good] ?? 0
            falseRejectRate = good == 0 ? 0 : Double(good - (accepted[.good] ?? 0)) / Double(good)
            maliciousAccepted = accepted[.malicious] ?? 0
        }
    }
}
