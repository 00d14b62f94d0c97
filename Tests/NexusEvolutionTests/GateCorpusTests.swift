import NexusCore
import NexusEvolution
import NexusTesting
import Testing

/// The whole corpus through the real gate (the built binary as jailer): testdata/gate-corpus/expected.json is
/// the specification.
@Suite(.serialized) struct GateCorpusTests {
    @Test func everyCorpusModuleGetsTheVerdictExpectedJsonNames() async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let corpus = GateCorpus(root: GateFixture.corpus)
        let entries = try await corpus.run(gate: GateFixture.gate(home: home))
        #expect(entries.filter { $0.kind == .good }.count >= 15)
        #expect(entries.filter { $0.kind == .broken }.count >= 15)
        #expect(entries.filter { $0.kind == .malicious }.count >= 10)
        for e in entries {
            let got =
                e.report.map { r in r.passed ? "accepted" : "rejected by \(r.firstFailure?.name ?? "?")" }
                ?? "gate error: \(e.error ?? "")"
            let evidence = e.report?.firstFailure?.evidence.prefix(600) ?? ""
            switch e.kind {
            case .good:
                #expect(e.accepted, "good/\(e.name) must be accepted, was \(got): \(evidence)")
            case .broken, .malicious:
                #expect(!e.accepted, "\(e.kind.rawValue)/\(e.name) must be rejected")
                let expected = e.expectedCategory?.rawValue ?? "-"
                let category = e.report?.firstFailure?.category?.rawValue ?? "-"
                #expect(
                    e.correct,
                    "\(e.kind.rawValue)/\(e.name): expected category \(expected), \(got) [\(category)]: \(evidence)")
            }
        }
        let summary = GateCorpus.Summary(entries)
        #expect(summary.maliciousAccepted == 0)
        #expect(summary.falseAcceptRate <= 0.02)
        #expect(summary.falseRejectRate <= 0.10)
    }

    @Test func maliciousModulesNeverReachTheDynamicChecks() async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let gate = GateFixture.gate(home: home)
        for name in ["runs_subprocess", "reads_ssh_key", "posts_credential_to_undeclared_host"] {
            let report = try await gate.run(folder: GateFixture.corpus + "/malicious/" + name)
            #expect(report.check("tests")?.skipped == true, "\(name): its code must not run")
            #expect(report.check("protocol")?.skipped == true)
            #expect(report.check("tests")?.evidence.hasPrefix("not run: the policy check failed") == true)
        }
    }
}
