import NexusCore
import NexusEvolution
import NexusModules
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.serialized) struct GateSyntaxTests {
    @Test func templateModulePassesTheStaticChecks() async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let folder = try GateFixture.module(in: dir)
        let report = try await GateFixture.gate(home: home).run(folder: folder)
        #expect(report.check("syntax")?.passed == true)
        #expect(report.check("policy")?.passed == true, "\(report.check("policy")?.evidence ?? "")")
        #expect(report.check("manifest")?.passed == true, "\(report.check("manifest")?.evidence ?? "")")
        #expect(report.check("contract")?.skipped == true)
    }

    @Test func syntaxErrorFailsWithFileLineAndTheDynamicChecksDoNotRun() async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let folder = try GateFixture.module(in: dir, edits: ["adapter.py": { $0 + "\ndef broken(:\n    pass\n" }])
        let report = try await GateFixture.gate(home: home).run(folder: folder)
        #expect(!report.passed)
        #expect(report.firstFailure?.name == "syntax")
        #expect(report.firstFailure?.category == .syntax)
        #expect(
            report.check("syntax")?.evidence.contains("adapter.py:73") == true,
            "\(report.check("syntax")?.evidence ?? "")")
        #expect(report.check("tests")?.skipped == true)
    }

    @Test func gateNeverChangesTheFolderItChecks() async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let folder = try GateFixture.module(in: dir)
        let before = try ModuleFiles.digest(folder)
        _ = try await GateFixture.gate(home: home).run(folder: folder)
        #expect(try ModuleFiles.digest(folder) == before)
        #expect(FileSystem.list(folder).sorted() == ["adapter.py", "manifest.json", "test_adapter.py", "tests"])
    }

    @Test func missingFolderIsAThrownUsageErrorNotAFailedCheck() async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        await #expect(throws: GateError.noFolder("/nonexistent/module")) {
            _ = try await GateFixture.gate(home: home).run(folder: "/nonexistent/module")
        }
        #expect(GateError.noFolder("x").exitCode == .usage)
    }
}

@Test func manifestSchemaMatchesTheDocsFile() throws {
    let docs = try FileSystem.readText(GateFixture.packageRoot + "/docs/manifest.schema.json")
    #expect(try JSONValue(parsing: docs) == GateTestHooks.manifestSchema)
}

/// `nexus modules validate` as a user runs it.
@Suite(.serialized) struct ValidateCommandTests {
    func validate(_ args: [String], home: TemporaryDirectory) -> Subprocess.Result {
        Subprocess.run(
            [GateFixture.binary, "modules", "validate"] + args + ["--home", home.path],
            environment: [
                "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home.path, "LANG": "C.UTF-8",
                "NEXUS_TEMPLATES": GateFixture.templates,
            ],
            timeout: 120)
    }

    @Test func exitsZeroWhenEveryCheckPassesOneWhenOneFailsTwoForABadPath() throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let ok = validate([GateFixture.corpus + "/good/bookshelf"], home: home)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        for name in ["syntax", "policy", "manifest", "protocol", "tests", "mutation", "contract"] {
            #expect(ok.stdout.contains("  \(name)"), "\(name) missing from \(ok.stdout)")
        }
        let bad = validate([GateFixture.corpus + "/malicious/runs_subprocess", "--json"], home: home)
        #expect(bad.status == 1)
        let json = try JSONValue(parsing: bad.stdout)
        #expect(json["passed"] == .bool(false))
        #expect(json["category"] == .string("import"))
        let missing = validate(["/nonexistent/module"], home: home)
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.hasPrefix("nexus: modules validate: /nonexistent/module: not a module folder"))
    }
}

@Test func cancellingTheGateKillsItsSandboxedRunsAndThrows() async throws {
    let home = TemporaryDirectory()
    defer { home.remove() }
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    // Tests that would run for a minute: cancellation must end them at once.
    let folder = try GateFixture.module(
        in: dir,
        edits: [
            "test_adapter.py": {
                $0
                    + "\n\nclass Slow(unittest.TestCase):\n    def test_slow(self):\n        import time\n        time.sleep(60)\n"
            }
        ])
    let gate = GateFixture.gate(home: home)
    let started = MonotonicClock.nanoseconds()
    let task = Task { try await gate.run(folder: folder) }
    try await Task.sleep(nanoseconds: 2_500_000_000)
    task.cancel()
    await #expect(throws: GateError.cancelled) { _ = try await task.value }
    #expect(Double(MonotonicClock.nanoseconds() - started) / 1e9 < 15)
}

@Test func aLinkOutOfTheFolderFailsThePolicyAndNothingRuns() async throws {
    let home = TemporaryDirectory()
    defer { home.remove() }
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let folder = try GateFixture.module(in: dir)
    #expect(symlink(home.path + "/secret", folder + "/fixture.json") == 0)
    let report = try await GateFixture.gate(home: home).run(folder: folder)
    #expect(report.firstFailure?.name == "policy")
    #expect(report.firstFailure?.category == .policy)
    #expect(report.check("policy")?.evidence.contains("symbolic link that leaves the module folder") == true)
    #expect(report.check("tests")?.skipped == true)
}

@Test func theContractHookDecidesCheckGWhenItHasASpecOrMock() async throws {
    let home = TemporaryDirectory()
    defer { home.remove() }
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let folder = try GateFixture.module(in: dir)
    let failing = ModuleGate(
        nexusExecutable: GateFixture.binary, templatesDirectory: GateFixture.templates, home: home.path,
        contract: { manifest, _ in
            .fail("contract", .contract, "GET /items against the mock answered 500 for \(manifest.name)", seconds: 0.1)
        })
    let report = try await failing.run(folder: folder)
    #expect(report.firstFailure?.name == "contract")
    #expect(report.firstFailure?.category == .contract)
    #expect(report.check("contract")?.evidence == "GET /items against the mock answered 500 for example_items")
    let none = ModuleGate(
        nexusExecutable: GateFixture.binary, templatesDirectory: GateFixture.templates, home: home.path,
        contract: { _, _ in nil })
    #expect(try await none.run(folder: folder).check("contract")?.skipped == true)
}

@Test func cancellingDuringTheStaticChecksThrowsToo() async throws {
    let home = TemporaryDirectory()
    defer { home.remove() }
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let folder = try GateFixture.module(in: dir)
    let gate = GateFixture.gate(home: home)
    let task = Task { try await gate.run(folder: folder) }
    try await Task.sleep(nanoseconds: 50_000_000)
    task.cancel()
    await #expect(throws: GateError.cancelled) { _ = try await task.value }
}
