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
        let r = NexusBinary.run(["build", Self.description, "--approve", "no", "--json"], env: e, timeout: 120)
        #expect(r.status == 3, "stderr: \(r.stderr)")
        let finished = Self.events(r.stdout).first { $0["type"]?.stringValue == "build_finished" }
        #expect(finished?["module"]?.stringValue == "quotes", "\(r.stdout)")
        let (id, row) = buildsTable(e)
        #expect(row.contains("denied") && row.contains("quotes"), "the list names what was denied: \(row)")
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
}
