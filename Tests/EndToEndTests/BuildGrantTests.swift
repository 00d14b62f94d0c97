import NexusCore
import NexusTesting
import Testing

/// A model's reply is hostile input: a manifest it writes may not give the module host paths. The fake
/// provider serves over a real socket a module whose manifest asks to write `/root/.bashrc`; the real gate
/// (in the sandbox) refuses it, says why, and the repair prompt tells the model where a module's files go.
@Suite(.serialized) struct BuildGrantEndToEnd {
    let build = BuildEndToEnd()

    /// The good module, its manifest asking for a shell start-up file read-write.
    static var startupGrab: [(String, String)] {
        BuildFixture.good.map {
            $0.0 == "manifest.json"
                ? (
                    $0.0,
                    $0.1.replacingFirst(
                        #""sensitive_tools": [],"#,
                        with: #""sensitive_tools": [], "filesystem": {"write": ["/root/.bashrc"]},"#)
                ) : $0
        }
    }

    @Test func aBuiltManifestAskingToWriteAShellStartUpFileFailsTheGateAndNothingIsInstalled() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        try #require(Self.startupGrab[0].1.contains("/root/.bashrc"))
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(Self.startupGrab)))
        let e = build.env(server, home: "grab", maxRepairs: 0)
        let r = NexusBinary.run(
            ["build", BuildEndToEnd.description, "--approve", "yes", "--json"], env: e, timeout: 120)
        #expect(r.status == 1, "stderr: \(r.stderr)")
        let events = BuildEndToEnd.events(r.stdout)
        let notices = events.filter { $0["type"]?.stringValue == "notice" }.compactMap { $0["message"]?.stringValue }
        let error = events.first { $0["type"]?.stringValue == "error" }?["message"]?.stringValue ?? ""
        #expect(notices.contains { $0.contains("failed manifest [manifest]") }, "\(notices)")
        #expect(error.contains("nothing was installed"), "\(error)")
        #expect(
            error.contains(#"filesystem.write[0] "/root/.bashrc": a module may not ask for host paths"#), "\(error)")
        #expect(!build.installed(e))
        #expect(!events.contains { $0["type"]?.stringValue == "approval_required" }, "nobody is asked to approve it")
    }

    @Test func theRepairPromptTellsTheModelToKeepFilesUnderTheDataDirectory() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            .text(BuildFixture.reply(Self.startupGrab)), .text(BuildFixture.reply(BuildFixture.good)))
        let e = build.env(server, home: "grab-repair")
        let r = NexusBinary.run(
            ["build", BuildEndToEnd.description, "--approve", "yes", "--credential", "api_key=env:QUOTES_KEY"],
            env: e, timeout: 120)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        try #require(server.chatRequests.count == 2)
        let repair = server.chatRequests[1].body
        #expect(repair.contains("category: manifest"), "\(String(repair.prefix(400)))")
        #expect(repair.contains("keep its files under NEXUS_MODULE_DATA (/data)"), "\(String(repair.prefix(800)))")
        #expect(build.installed(e))
        let info = NexusBinary.run(["modules", "info", "quotes"], env: e).stdout
        #expect(!info.contains("writes:") && !info.contains("/root/.bashrc"), "\(info)")
    }
}
