import NexusCore
import NexusModules
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusEvolution

/// The checks one at a time, on copies of the template broken on purpose, through the real sandbox.
@Suite(.serialized) struct GateBehaviourTests {
    func gate(_ edits: [String: (String) -> String]) async throws -> GateReport {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let folder = try GateFixture.module(in: dir, edits: edits)
        return try await GateFixture.gate(home: home).run(folder: folder)
    }

    @Test func templateModulePassesEveryCheckWithCountsAndTools() async throws {
        let report = try await gate([:])
        #expect(report.passed, "\(report.render(folder: "template"))")
        #expect(
            report.checks.map(\.name) == ["syntax", "policy", "manifest", "protocol", "tests", "mutation", "contract"])
        #expect(report.tools == ["get_item", "list_items"])
        #expect(report.testsPassed == 3 && report.testsTotal == 3)
        #expect(report.mutantsTotal >= 5 && report.mutationScore >= 0.8)
        #expect(
            report.check("contract")?.evidence == "no spec or mock for this API (the contract farm is not built yet)")
        #expect(report.checks.allSatisfy { $0.seconds >= 0 })
    }

    @Test func toothlessTestsAreCaughtByTheMutationCheckNamingSurvivors() async throws {
        let report = try await gate([
            "test_adapter.py": { _ in
                """
                import os, sys, unittest
                sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
                from adapter import ExampleItemsAdapter
                from nexus_adapter import MockTransport

                class T(unittest.TestCase):
                    def test_lists_tools(self):
                        names = [t.name for t in ExampleItemsAdapter(transport=MockTransport([]), env={}).list_tools()]
                        self.assertEqual(names, ["get_item", "list_items"])

                if __name__ == "__main__":
                    unittest.main()

                """
            }
        ])
        #expect(!report.passed)
        #expect(report.check("tests")?.passed == true)
        #expect(report.firstFailure?.category == .mutation)
        let evidence = report.check("mutation")?.evidence ?? ""
        #expect(evidence.contains("survived: line "), "\(evidence)")
        #expect(evidence.contains("auth_drop"))
        #expect(report.mutantsKilled == 0 && report.mutantsTotal >= 5)
    }

    @Test func failingTestIsReportedWithItsAssertion() async throws {
        let report = try await gate(["test_adapter.py": { $0.replacingFirst("[\"a1\", \"b2\", \"c3\"]", "[\"a1\"]") }])
        #expect(report.firstFailure?.name == "tests")
        #expect(report.firstFailure?.category == .test)
        #expect(report.check("tests")?.evidence.contains("test_list_items_reads_every_page") == true)
        #expect(report.check("mutation")?.skipped == true)
    }

    @Test func testsThatWriteIntoTheirFolderLeaveTheOriginalUntouched() async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let folder = try GateFixture.module(
            in: dir,
            edits: [
                "test_adapter.py": {
                    $0.replacingFirst(
                        "class ToolTests(unittest.TestCase):",
                        "with open(os.path.join(HERE, \"planted.txt\"), \"w\") as fh:\n    fh.write(\"x\")\n\n\nclass ToolTests(unittest.TestCase):"
                    )
                }
            ])
        let before = try ModuleFiles.digest(folder)
        let report = try await GateFixture.gate(home: home).run(folder: folder)
        #expect(report.check("tests")?.passed == true, "\(report.render(folder: folder))")
        #expect(!FileSystem.exists(folder + "/planted.txt"))
        #expect(try ModuleFiles.digest(folder) == before)
    }

    @Test func aServerThatAcceptsInvalidArgumentsFailsTheProtocolCheck() async throws {
        // A hand-written server that answers every call as a success, whatever the arguments.
        let report = try await gate([
            "adapter.py": { _ in
                """
                import json, sys
                TOOL = {"name": "lookup", "description": "Look a word up.",
                        "inputSchema": {"type": "object", "properties": {"word": {"type": "string"}}, "required": ["word"]}}
                for line in sys.stdin:
                    msg = json.loads(line)
                    if "id" not in msg:
                        continue
                    result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                              "serverInfo": {"name": "x", "version": "1"}} if msg["method"] == "initialize" else \\
                        {"tools": [TOOL]} if msg["method"] == "tools/list" else \\
                        {"content": [{"type": "text", "text": "ok"}]} if msg["method"] == "tools/call" else {}
                    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}) + "\\n")
                    sys.stdout.flush()

                """
            }
        ])
        let proto = report.check("protocol")
        #expect(proto?.passed == false, "\(report.render(folder: "x"))")
        #expect(proto?.category == .protocol)
        #expect(proto?.evidence.contains("required argument 'word' missing) answered without isError") == true)
        #expect(report.tools == ["lookup"])
    }

    @Test func forgedResultLinesWithoutTheNonceAreIgnored() {
        let nonce = TestsCheck.makeNonce()
        #expect(nonce.count == 32 && nonce != TestsCheck.makeNonce())
        let fake = #"{"tests": {"passed": true, "run": 9, "passed_count": 9}, "mutation": {"made": 8, "killed": 8}}"#
        let forged = Array("\(fake)\nOK\nwrongnonce \(fake)\n".utf8)
        #expect(TestsCheck.resultLine(forged, nonce: nonce) == nil)
        let real = Array("\(fake)\n\(nonce) {\"tests\": {\"passed\": false}}\n".utf8)
        #expect(TestsCheck.resultLine(real, nonce: nonce)?["tests"]?["passed"]?.boolValue == false)
    }

    @Test func mutationVerdictNeedsFiveMutantsAndAScoreOfPointEight() throws {
        func verdict(_ made: Int, _ killed: Int) throws -> GateCheck {
            let json = try JSONValue(
                parsing: """
                    {"tests": {"passed": true, "run": 4, "passed_count": 4, "seconds": 0.1},
                     "mutation": {"made": \(made), "killed": \(killed), "survivors": ["line 7: flipped Lt to GtE (flip_comparison)"],
                                  "mutants": [], "seconds": 0.2}}
                    """)
            return TestsCheck.interpret(json, seconds: 1, testFile: "test_adapter.py").mutation
        }
        #expect(try verdict(8, 7).passed)
        #expect(try verdict(5, 4).passed)
        let low = try verdict(8, 6)
        #expect(!low.passed && low.category == .mutation && low.evidence.contains("survived: line 7"))
        #expect(try !verdict(4, 4).passed)
    }

    @Test func evidenceIsBoundedAndTheReportSerialisesEveryCheck() throws {
        let long = String(repeating: "x", count: 20_000)
        let check = GateCheck.fail("tests", .test, long, seconds: 1.23456)
        #expect(check.evidence.utf8.count <= GateCheck.maxEvidenceBytes)
        var report = GateReport(checks: [check, .skip("contract", "no spec or mock")])
        report.testsTotal = 3
        let json = report.json()
        #expect(json["passed"] == .bool(false))
        #expect(json["first_failure"] == .string("tests"))
        #expect(json["category"] == .string("test"))
        #expect(json["checks"]?.arrayValue?.count == 2)
        #expect(json["checks"]?[1]?["skipped"] == .bool(true))
        #expect(json["tests"]?["total"] == .number(3))
    }

    @Test func toolSchemasMustBeObjectSchemasWithKnownTypes() {
        let good: JSONValue = [
            "type": "object", "properties": ["q": ["type": "string", "description": "text"]], "required": ["q"],
        ]
        #expect(
            ProtocolCheck.toolProblems([["name": "search", "description": "Search.", "inputSchema": good]]).isEmpty)
        let problems = ProtocolCheck.toolProblems([
            ["name": "a b", "description": " ", "inputSchema": ["type": "string"]],
            [
                "name": "x", "description": "X.",
                "inputSchema": ["type": "object", "properties": ["n": ["type": "int"]]],
            ],
            ["name": "y", "description": "Y.", "inputSchema": ["type": "object", "required": ["missing"]]],
        ])
        #expect(problems.contains { $0.contains("\"a b\"") && $0.contains("A-Z a-z 0-9") })
        #expect(problems.contains { $0.contains("empty description") })
        #expect(problems.contains { $0.contains("inputSchema.type") })
        #expect(problems.contains { $0.contains("inputSchema.properties.n.type") })
        #expect(problems.contains { $0.contains("not in properties") })
        #expect(ProtocolCheck.toolProblems([]) == ["tools/list returned no tools: a module must offer at least one"])
        #expect(ProtocolCheck.nameProblem(String(repeating: "a", count: 129)) != nil)
    }

    @Test func manifestSchemaNamesEachMissingOrWrongField() {
        let problems = GateTestHooks.schemaProblems(
            ["name": "Bad__Name", "version": "x y", "category": "c", "network": ["allow": [1]]],
            GateTestHooks.manifestSchema)
        #expect(problems.contains("description: missing (required)"))
        #expect(problems.contains("test_file: missing (required)"))
        #expect(problems.contains { $0.hasPrefix("name:") })
        #expect(problems.contains { $0.hasPrefix("network.allow[0]: expected string") })
    }
}

extension String {
    func replacingFirst(_ old: String, _ new: String) -> String {
        guard let r = firstRange(of: old) else { return self }
        var out = self
        out.replaceSubrange(r, with: new)
        return out
    }
}

/// The second wall behind the policy: module code that slips past it still cannot reach the runner.
@Suite(.serialized) struct GateRunnerIsolationTests {
    @Test func suitesCannotOpenTheRunnersMemoryOrStdout() async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // "/proc" built from character codes: the static policy cannot fold it, so this runs.
        let probe = """


            class RunnerWall(unittest.TestCase):
                def test_runner_and_fork_server_are_out_of_reach(self):
                    proc = "".join(map(chr, [47, 112, 114, 111, 99]))
                    runners = []
                    for pid in os.listdir(proc):
                        if pid.isdigit() and int(pid) != os.getpid():
                            try:
                                with open(os.path.join(proc, pid, "cmdline"), "rb") as fh:
                                    line = fh.read()
                            except OSError:
                                continue
                            if b"gate_tests.py" in line or b"gate_zygote.py" in line:
                                runners.append(pid)
                    self.assertGreaterEqual(len(runners), 2, runners)  # runner, fork server (and the jailer)
                    for pid in runners:
                        with self.assertRaises(PermissionError):
                            open(os.path.join(proc, pid, "mem"), "rb")
                        with self.assertRaises(PermissionError):
                            open(os.path.join(proc, pid, "fd", "1"), "wb")

            """
        let folder = try GateFixture.module(
            in: dir,
            edits: [
                "test_adapter.py": {
                    $0.replacingFirst("\n\nif __name__ == \"__main__\":", probe + "\nif __name__ == \"__main__\":")
                }
            ])
        let report = try await GateFixture.gate(home: home).run(folder: folder)
        #expect(report.check("policy")?.passed == true, "\(report.check("policy")?.evidence ?? "")")
        #expect(report.check("tests")?.passed == true, "\(report.check("tests")?.evidence ?? "")")
        #expect(report.testsTotal == 4)
    }
}
