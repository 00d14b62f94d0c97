import NexusCore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `/build` in the TUI under tmux (issue 14): the build's stages in the pipeline pane, the proof overlay
/// (`v` a file, `d` the diff, `y` approve), the hidden credential prompt, and the module in the health matrix.
@Suite(.serialized) struct BuildTUIEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-build-tui")

    @Test func theProofOverlayShowsFilesAndDiffThenApprovalAsksForTheCredentialAndTheModuleAppears() throws {
        guard TUIHarness.tmuxAvailable else { try Test.cancel("tmux is not installed") }
        try #require(access(TUIHarness.binary, X_OK) == 0, "build nexus first")
        let reply = JSONValue.object(
            JSONObject([
                ("models", .array(["fake-model"])), ("repeat_last", .bool(true)),
                (
                    "replies",
                    .array([.object(JSONObject([("text", .array([.string(BuildFixture.reply(BuildFixture.good))]))]))])
                ),
            ]))
        let fake = try #require(FakeProviderProcess.start(scriptJSON: reply.serialized, dir: dir))
        defer { fake.stop() }
        _ = TUIHarness.shell("mkdir -p \(TUIHarness.quote(dir.path + "/config/nexus"))")
        _ = dir.write("config/nexus/nexus.toml", fake.config())
        let q = TUIHarness.quote
        let script = """
            cd \(q(dir.path))
            env NEXUS_HOME=\(q(dir.path + "/home")) XDG_CONFIG_HOME=\(q(dir.path + "/config")) LANG=C.UTF-8 \\
              MODULE_ENCRYPTION_KEY=\(BuildEndToEnd.key) \(q(TUIHarness.binary))
            echo "NEXUS-EXIT=$?"
            sleep 600
            """
        let t = TUIHarness(width: 160, height: 48, script: script, dir: dir)
        defer { t.stop() }
        try #require(t.waitFor(15) { $0.contains("privacy:") }.ok, "the TUI did not start")
        t.type("/build an integration for the Quotes API: quote by id")
        t.press("Enter")
        let proof = t.waitFor(60) { $0.contains("proof · Install module quotes") && $0.contains("v file · d diff") }
        try #require(proof.ok, "no proof overlay: \(proof.screen)")
        for text in ["check mutation", "4/4 passed", "sha256", "model (generate)", "v file · d diff"] {
            #expect(proof.screen.contains(text), "\(text) in the proof: \(proof.screen)")
        }
        t.press("v")
        let file = t.waitFor(10) { $0.contains("file adapter.py (1/3)") && $0.contains("class QuotesAdapter") }
        #expect(file.ok, "\(file.screen)")
        t.press("PageDown")
        let scrolled = t.waitFor(5) { $0.contains("serve(QuotesAdapter)") }
        #expect(scrolled.ok, "PgDn scrolls the file: \(scrolled.screen)")
        t.press("d")
        #expect(t.waitFor(10) { $0.contains("a new module: no installed version") }.ok)
        t.press("y")
        let asked = t.waitFor(20) { $0.contains("secret needed: api_key for module quotes") }
        try #require(asked.ok, "no credential prompt: \(asked.screen)")
        t.type("q-secret-tui")
        t.press("Enter")
        let done = t.waitFor(60) { $0.contains("Live test key_status: ok") }
        #expect(done.ok, "\(done.screen)")
        #expect(!done.screen.contains("q-secret-tui"), "the secret is never drawn")
        for stage in [
            "[plan", "[generate", "[validate", "[proof", "[approval", "[install", "[credentials", "[live test",
        ] {
            #expect(done.screen.contains(stage), "the pipeline pane shows \(stage): \(done.screen)")
        }
        let matrix = t.waitFor(20) { s in
            s.split(separator: "\n").contains { $0.contains("quotes") && $0.contains("●") }
        }
        #expect(matrix.ok, "quotes in the health matrix: \(matrix.screen)")
        t.press("C-d")
        #expect(t.waitFor(10) { $0.contains("NEXUS-EXIT=0") }.ok)
    }
}
