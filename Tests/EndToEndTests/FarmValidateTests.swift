import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus modules validate` runs the gate's contract check against the farm (issue 15): the scenario the
/// command names with `--farm`, else the one the module's spec matches — here a copy of a scenario's spec
/// kept somewhere else, matched by its text. A wrong scenario fails the check; an unknown one is exit 2.
@Suite(.serialized) struct FarmValidateEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-farm-validate")

    var env: [String: String] {
        ["NEXUS_HOME": dir.path + "/home", "NO_COLOR": "1", "MODULE_ENCRYPTION_KEY": OpenAPIBuildEndToEnd.key]
    }

    /// A module generated from a copy of api_key_header's spec, left unapproved in its build folder.
    func generatedModule(spec name: String, text: String, extra: [String] = []) throws -> String {
        let spec = dir.write(name, text)
        let r = NexusBinary.run(["build", "--openapi", spec, "--no-model", "--approve", "no"] + extra, env: env)
        #expect(r.status == 3, "\(r.stderr.suffix(1500))")
        let builds = dir.path + "/home/builds"
        let newest = FileSystem.list(builds).filter {
            (try? FileSystem.readText(builds + "/" + $0 + "/attempt-1/openapi_build.json"))?.contains(spec) ?? false
        }
        return builds + "/" + (try #require(newest.first)) + "/attempt-1"
    }

    @Test func validateRunsTheMatchingOrNamedScenarioAndAWrongOneFailsTheContract() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let farmSpec = try FileSystem.readText(NexusBinary.packageRoot + "/farm/api_key_header/openapi.yaml")
        let module = try generatedModule(spec: "inventory-copy.yaml", text: farmSpec)
        let matched = NexusBinary.run(["modules", "validate", module], env: env)
        #expect(matched.status == 0, "\(matched.stdout.suffix(1500)) \(matched.stderr)")
        #expect(matched.stdout.contains("farm api_key_header: 4/4 acceptance checks passed"), "\(matched.stdout)")
        let wrong = NexusBinary.run(["modules", "validate", module, "--farm", "page_pagination"], env: env)
        #expect(wrong.status == 1, "\(wrong.stdout.suffix(1500))")
        #expect(wrong.stdout.contains("farm page_pagination: 0/3 acceptance checks passed"), "\(wrong.stdout)")
        #expect(wrong.stdout.contains("rejected: contract"))
        let unknown = NexusBinary.run(["modules", "validate", module, "--farm", "nope"], env: env)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no farm scenario nope") && unknown.stderr.contains("api_key_header"))
    }

    /// Seen under load: the farm's server took over 5 s to start, nexus gave up on it and ran the checks against
    /// a closed port, and the module was blamed for "could not connect" (a repair prompt would have been too).
    @Test func aFarmServerThatDoesNotStartIsNamedAsTheFarmsFailureNotTheModules() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let source = NexusBinary.packageRoot + "/farm"
        // The scenario's API on a free port: its own (18301) may be served by another test's farm meanwhile, and
        // a server already listening is used.
        let port = try #require(LoopbackHTTP.freePort())
        let spec = try FileSystem.readText(source + "/api_key_header/openapi.yaml")
            .replacing("127.0.0.1:18301", with: "127.0.0.1:\(port)")
        let module = try generatedModule(spec: "broken-farm.yaml", text: spec)
        let farm = dir.path + "/broken-farm"
        try FileSystem.ensureDirectory(farm + "/api_key_header")
        try FileSystem.writeAtomically(farm + "/api_key_header/openapi.yaml", text: spec)
        for f in ["api_key_header/acceptance.json", "farmlib.py"] {
            try FileSystem.writeAtomically(farm + "/" + f, text: try FileSystem.readText(source + "/" + f))
        }
        try FileSystem.writeAtomically(
            farm + "/api_key_header/server.py",
            text: "import sys\nsys.exit('OSError: [Errno 98] Address already in use')\n")
        var e = env
        e["NEXUS_FARM"] = farm
        let r = NexusBinary.run(["modules", "validate", module, "--farm", "api_key_header"], env: e)
        #expect(r.status == 1, "\(r.stdout.suffix(1500))")
        #expect(
            r.stdout.contains("the farm's own server did not start (OSError: [Errno 98] Address already in use)"),
            "\(r.stdout.suffix(1500))")
    }

    /// Seen in CI: a nexus ended mid-check (Ctrl-C of `nexus evolve`, a signal) ran no clean-up, and the farm
    /// server, in its own process group, held its scenario's port for good; the next check used it as a server
    /// "already listening" and passed against it.
    @Test func aFarmServerDiesWithTheNexusThatStartedIt() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let source = NexusBinary.packageRoot + "/farm"
        let module = try generatedModule(
            spec: "orphan-farm.yaml", text: try FileSystem.readText(source + "/api_key_header/openapi.yaml"))
        let farm = dir.path + "/orphan-farm"
        try FileSystem.ensureDirectory(farm + "/api_key_header")
        for f in ["api_key_header/openapi.yaml", "api_key_header/acceptance.json", "farmlib.py"] {
            try FileSystem.writeAtomically(farm + "/" + f, text: try FileSystem.readText(source + "/" + f))
        }
        // A server slow to say it listens (nexus waits for that), deaf to SIGTERM.
        let started = dir.path + "/orphan-farm-started"
        try FileSystem.writeAtomically(
            farm + "/api_key_header/server.py",
            text: """
                import signal, time
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                open(\(String(reflecting: started)), "w").close()
                time.sleep(120)
                """)
        var e = NexusBinary.environment(env)
        e["NEXUS_FARM"] = farm
        let nexus = try ChildProcess.spawn(
            [NexusBinary.path, "modules", "validate", module, "--farm", "api_key_header"],
            SpawnOptions(stdout: .null, stderr: .null, environment: e, resetSignals: true))
        var up = false
        for _ in 0..<1_500 where !up {
            usleep(20_000)
            up = FileSystem.kind(of: started) == .file
        }
        defer { for pid in RunningProcesses.naming(farm) { kill(pid, SIGKILL) } }
        try #require(up, "the gate never started the farm server")
        kill(nexus, SIGKILL)
        ChildProcess.wait(nexus)
        #expect(RunningProcesses.leftAfter(5, naming: farm) == 0, "the farm server outlived nexus")
    }

    @Test func aModuleOfAnotherAPISkipsTheContractUnlessAScenarioIsNamed() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let other = """
            openapi: 3.0.0
            info: {title: Elsewhere, version: "1"}
            servers: [{url: "https://api.example.com/v1"}]
            paths:
              /items: {get: {operationId: listItems, responses: {"200": {description: ok}}}}
            """
        let module = try generatedModule(spec: "elsewhere.yaml", text: other)
        let r = NexusBinary.run(["modules", "validate", module], env: env)
        #expect(r.status == 0, "\(r.stdout.suffix(1500))")
        #expect(r.stdout.contains("skip  contract"), "\(r.stdout)")
        #expect(r.stdout.contains("no farm scenario matches this module"), "\(r.stdout)")
    }

    @Test func aBuildThatNamesAScenarioIsProvenAgainstItAndAWrongOneInstallsNothing() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let spec = dir.write(
            "named.yaml", try FileSystem.readText(NexusBinary.packageRoot + "/farm/api_key_header/openapi.yaml"))
        let wrong = NexusBinary.run(
            ["build", "--openapi", spec, "--no-model", "--yes", "--farm", "page_pagination"], env: env)
        #expect(wrong.status == 1, "\(wrong.stderr.suffix(1500))")
        #expect((wrong.stdout + wrong.stderr).contains("farm page_pagination: 0/3 acceptance checks passed"))
        #expect(!NexusBinary.run(["modules", "list"], env: env).stdout.contains("farm_inventory"))
        let usage = NexusBinary.run(["build", "a thing", "--farm", "api_key_header"], env: env)
        #expect(usage.status == 2 && usage.stderr.contains("go with --openapi SPEC"), "\(usage.stderr)")
    }

    /// A module folder is hostile input: the scenario its openapi_build.json names must never become a path
    /// (farm servers run outside the sandbox).
    @Test func aScenarioNameInTheModulesOwnRecordCannotRunAServerOutsideTheFarm() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let farmSpec = try FileSystem.readText(NexusBinary.packageRoot + "/farm/api_key_header/openapi.yaml")
        let module = try generatedModule(spec: "hostile.yaml", text: farmSpec)
        let evil = dir.path + "/evil"
        try FileSystem.ensureDirectory(evil)
        let marker = dir.path + "/evil-ran"
        _ = dir.write("evil/server.py", "open('\(marker)', 'w').write('ran')\n")
        _ = dir.write("evil/acceptance.json", #"{"checks": []}"#)
        let record = module + "/openapi_build.json"
        var json = try #require(try JSONValue(parsing: FileSystem.readText(record)).objectValue)
        let farm = NexusBinary.packageRoot + "/farm"
        json["farm"] = .string(String(repeating: "../", count: farm.split(separator: "/").count) + evil.dropFirst())
        try FileSystem.writeAtomically(record, text: JSONValue.object(json).serialized)
        let r = NexusBinary.run(["modules", "validate", module], env: env)
        #expect(r.status == 1, "\(r.stdout.suffix(1500))")
        #expect(r.stdout.contains("no farm scenario (invalid name)"), "\(r.stdout.suffix(1500))")
        #expect(FileSystem.kind(of: marker) == .missing, "the module's record made nexus run a server of its choosing")
    }
}
