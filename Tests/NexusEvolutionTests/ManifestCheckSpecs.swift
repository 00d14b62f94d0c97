import NexusCore
import NexusPOSIX
import NexusTesting
import Testing

@testable import NexusEvolution
@testable import NexusModules

/// What the gate's manifest check tells a person (or a repair prompt) about a broken manifest: every problem,
/// each once, in the words that say what to do.
@Suite struct ManifestCheckSpecs {
    func check(_ edit: @escaping (String) -> String) async throws -> GateCheck {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let folder = try GateFixture.module(in: dir, edits: ["manifest.json": edit])
        return await ManifestCheck.run(workspace: folder).check
    }

    func count(_ needle: String, in text: String) -> Int { text.ranges(of: needle).count }

    @Test func eachManifestProblemIsReportedOnceWithTheValidatorsWords() async throws {
        let c = try await check {
            $0.replacing(#""version": "1.0.0""#, with: #""version": 1"#)
                .replacing(#""allow": ["api.example.com"]"#, with: #""allow": ["api.example.com", "a b"]"#)
        }
        #expect(!c.passed)
        #expect(count("version:", in: c.evidence) == 1, "one line for the version: \(c.evidence)")
        #expect(count("network.allow[1]:", in: c.evidence) == 1, "one line for the host: \(c.evidence)")
        #expect(!c.evidence.contains("does not match ^"), "no schema pattern as the reason: \(c.evidence)")
        #expect(!c.evidence.contains("more problem"), "every problem is listed, not counted: \(c.evidence)")
    }

    @Test func aSchemaProblemTheValidatorDoesNotNameIsStillReported() async throws {
        let c = try await check { $0.replacing(#""test_file": "test_adapter.py","#, with: "") }
        #expect(!c.passed)
        #expect(c.evidence.contains("test_file: missing (required)"), "\(c.evidence)")
    }

    @Test(arguments: ["*", "*:443", "*.*", "**"])
    func anAllowEntryForEveryHostSaysWhatIsAllowedInstead(_ entry: String) async throws {
        let c = try await check {
            $0.replacing(#""allow": ["api.example.com"]"#, with: #""allow": [""# + entry + #""]"#)
        }
        #expect(!c.passed)
        #expect(
            c.evidence.contains("network.allow[0]: \"\(entry)\" would let the module reach any host"), "\(c.evidence)")
        #expect(c.evidence.contains("\"*.example.com\""), "the allowed wildcard is shown: \(c.evidence)")
        #expect(count("network.allow[0]:", in: c.evidence) == 1, "\(c.evidence)")
    }

    @Test func validatingTheManifestFileItselfPointsToItsFolder() async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let folder = try GateFixture.module(in: dir)
        await #expect(throws: GateError.notAFolder(folder + "/manifest.json")) {
            try await GateFixture.gate(home: home).run(folder: folder + "/manifest.json")
        }
        let hint = GateError.notAFolder(folder + "/manifest.json").hint
        #expect(hint == "pass the folder that holds it: nexus modules validate \(folder)")
    }

    @Test func aManifestThatIsNotJSONIsTheOnlyProblemNamed() async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let noComma: (String) -> String = { $0.replacing("\"version\": \"1.0.0\",", with: "\"version\": \"1.0.0\"") }
        let folder = try GateFixture.module(in: dir, edits: ["manifest.json": noComma])
        let report = try await GateFixture.gate(home: home).run(folder: folder)
        let policy = report.checks.first { $0.name == "policy" }
        #expect(policy?.passed == true, "no host is 'not in network.allow []': \(policy?.evidence ?? "")")
        let manifest = report.checks.first { $0.name == "manifest" }
        #expect(manifest?.evidence.contains("not valid JSON at line 4") == true, "\(manifest?.evidence ?? "")")
    }

    @Test func aWildcardOfOneDomainIsStillAllowed() throws {
        #expect(ManifestValidator.hostProblem("*.example.com") == nil)
        #expect(ManifestValidator.hostProblem("*.com") != nil)
    }
}
