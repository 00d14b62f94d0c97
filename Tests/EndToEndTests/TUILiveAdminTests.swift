import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 16 item 4, "live effect": a change made through the admin API shows at once in a running TUI, and
/// `/model` typed in the TUI and `PUT /v1/routing` are one orchestrator call (`Orchestrator.setRoute`).
///
/// The built `nexus` runs in tmux with `--admin-port N` against the fake provider; the test speaks plain
/// HTTP to that port with the token from `$NEXUS_HOME/admin.token` and reads the screen back. "At once"
/// is within 2 s, the TUI's status refresh (`TUIOptions.statusRefreshSeconds`): a route is not in the
/// status snapshot at all, so only the `route_changed` event can show it.
@Suite(.serialized) struct TUILiveAdminEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-tui-admin")

    static let script = """
        {"models": ["fake-model", "fake-large"], "repeat_last": true, "replies": [
          {"text": ["live ", "ANSWER", "-END"], "usage": {"input": 5, "output": 3}}]}
        """

    /// One refresh of the status snapshot (`TUIOptions.statusRefreshSeconds`).
    static let oneRefresh = 2.0

    struct Running {
        let tui: TUIHarness
        let fake: FakeProviderProcess
        let http: LoopbackHTTP
        let token: String

        func stop() {
            tui.stop()
            fake.stop()
        }

        func api(_ method: String, _ path: String, _ body: String? = nil) -> LoopbackHTTP.Reply? {
            http.send(method, path, headers: ["Authorization": "Bearer \(token)"], body: body)
        }

        /// The pipeline pane's row for `node` (e.g. "[model selector").
        func row(_ screen: String, _ label: String) -> String {
            String(screen.split(separator: "\n").first { $0.contains(label) } ?? "")
        }
    }

    /// Starts nexus in tmux at 160x48 serving the admin API on a free port, waits for the API to answer.
    func launch() throws -> Running {
        guard TUIHarness.tmuxAvailable else { try Test.cancel("tmux is not installed") }
        guard access(TUIHarness.binary, X_OK) == 0 else { try Test.cancel("build nexus first: \(TUIHarness.binary)") }
        guard let fake = FakeProviderProcess.start(scriptJSON: Self.script, dir: dir) else {
            Issue.record("`nexus-fake-provider --protocol openai --script FILE` did not start")
            throw TUIWiringError.fakeProvider
        }
        let port = try #require(LoopbackHTTP.freePort(), "no free loopback port")
        _ = TUIHarness.shell("mkdir -p \(TUIHarness.quote(dir.path + "/config/nexus"))")
        _ = dir.write("config/nexus/nexus.toml", fake.config())
        let q = TUIHarness.quote
        let home = dir.path + "/home"
        let script = """
            cd \(q(dir.path))
            env NEXUS_HOME=\(q(home)) XDG_CONFIG_HOME=\(q(dir.path + "/config")) LANG=C.UTF-8 \\
              NEXUS_BUILTIN_MODULES= \(q(TUIHarness.binary)) --admin-port \(port) 2> nexus.stderr
            echo "NEXUS-EXIT=$?"
            sleep 600
            """
        let t = TUIHarness(width: 160, height: 48, script: script, dir: dir)
        let up = t.waitFor(20) { $0.contains("privacy:") && $0.contains("[model selector") }
        guard up.ok else {
            t.stop()
            fake.stop()
            Issue.record("nexus did not open the TUI: \(up.screen)")
            throw TUIWiringError.noTUI
        }
        let http = LoopbackHTTP(port: port)
        var healthy = false
        for _ in 0..<100 where !healthy {
            healthy = http.send("GET", "/healthz")?.status == 200
            if !healthy { usleep(100_000) }
        }
        let token =
            TUIHarness.shell("cat \(q(home + "/admin.token")) 2>/dev/null").output
            .split(separator: "\n").first.map(String.init) ?? ""
        guard healthy, !token.isEmpty else {
            t.stop()
            fake.stop()
            let err = TUIHarness.shell("cat \(q(dir.path + "/nexus.stderr"))").output
            Issue.record("the admin API did not answer on 127.0.0.1:\(port) (token: \(!token.isEmpty)): \(err)")
            throw TUIWiringError.noTUI
        }
        return Running(tui: t, fake: fake, http: http, token: token)
    }

    /// Runs one turn and returns the task type the classifier chose (the last word of its row).
    func turn(_ r: Running, _ text: String) throws -> String {
        r.tui.type(text)
        r.tui.press("Enter")
        let done = r.tui.waitFor(30) { $0.contains("ANSWER-END") && !$0.contains("running") }
        try #require(done.ok, "no answer: \(done.screen)")
        let classifier = r.row(done.screen, "[classifier")
        // `▶[classifier    ]   12ms  simple_query │…`: the last word before the pane's border.
        let annotation = classifier.split(separator: "[classifier").last?.split(separator: "]").last ?? ""
        let words = annotation.prefix { $0 != "│" }.split(separator: " ")
        return try #require(words.last.map(String.init), "no task type: \(classifier)")
    }

    @Test func routeChangedThroughTheAdminAPIShowsInTheRunningTUI() throws {
        let r = try launch()
        defer { r.stop() }
        // The face came up after the server: the address still reaches it (a retained notice).
        let told = r.tui.waitFor(5) { $0.contains("admin API on http://127.0.0.1:\(r.http.port)") }
        #expect(told.ok, "the chat pane does not say where the admin API is: \(told.screen)")
        let task = try turn(r, "say hello")
        #expect(r.row(r.tui.screen(), "[model selector").contains("fake:fake-model"))

        let put = r.api("PUT", "/v1/routing", #"{"task_type": "\#(task)", "chain": ["fake:fake-large"]}"#)
        #expect(put?.status == 200, "PUT /v1/routing: \(put?.status ?? 0) \(put?.body ?? "no answer")")
        let shown = r.tui.waitFor(Self.oneRefresh) { r.row($0, "[model selector").contains("fake:fake-large (next)") }
        #expect(shown.ok, "the route change is not shown: \(r.row(shown.screen, "[model selector"))")

        // `/model` typed in the TUI is the same call: the API reads back what it set, as an override.
        r.tui.type("/model \(task) fake:fake-model")
        r.tui.press("Enter")
        let typed = r.tui.waitFor(10) { r.row($0, "[model selector").contains("fake:fake-model (next)") }
        #expect(typed.ok, "/model is not shown: \(r.row(typed.screen, "[model selector"))")
        let routing = r.api("GET", "/v1/routing")?.body ?? ""
        #expect(routing.contains(#""chain":["fake:fake-model"]"#), "\(routing)")

        // The next call uses the API's route, and the pane shows it as selected (no longer "next").
        _ = r.api("PUT", "/v1/routing", #"{"task_type": "\#(task)", "chain": ["fake:fake-large"]}"#)
        #expect(r.tui.waitFor(Self.oneRefresh) { r.row($0, "[model selector").contains("fake-large (next)") }.ok)
        _ = try turn(r, "again please")
        let after = r.tui.waitFor(5) { s in
            let row = r.row(s, "[model selector")
            return row.contains("fake:fake-large") && !row.contains("(next)")
        }
        #expect(after.ok, "the next turn did not select the new route: \(r.row(after.screen, "[model selector"))")
    }

    @Test func moduleDisabledThroughTheAdminAPIShowsInTheHealthMatrixAtOnce() throws {
        let r = try launch()
        defer { r.stop() }
        let echo = FakeMCPTool(name: "echo", answer: .echo(argument: "text"))
        let module = FakeMCPModule(name: "live_echo", script: FakeMCPScript(tools: [echo])).writeFolder(in: dir.path)
        r.tui.type("/modules install \(module)")
        r.tui.press("Enter")
        try #require(r.tui.waitFor(15) { $0.contains("[y]es [n]o [a]lways") }.ok, "no install approval")
        r.tui.type("y")
        func matrixRow(_ s: String) -> String {
            // The matrix row, not the chat's lines about the module: it starts with a health glyph.
            String(
                s.split(separator: "\n").first { line in
                    ["●", "◐", "✗", "○", "?"].contains { line.contains("│\($0) live_echo") }
                } ?? "")
        }
        let listed = r.tui.waitFor(15) { !matrixRow($0).isEmpty }
        try #require(listed.ok, "the installed module is not in the matrix: \(listed.screen)")
        #expect(!matrixRow(listed.screen).contains("○ live_echo"))

        let off = r.api("POST", "/v1/modules/live_echo/disable")
        #expect(off?.status == 200, "disable: \(off?.status ?? 0) \(off?.body ?? "no answer")")
        let disabled = r.tui.waitFor(Self.oneRefresh) { matrixRow($0).contains("○ live_echo") }
        #expect(disabled.ok, "not shown as disabled: \(matrixRow(disabled.screen))")

        let on = r.api("POST", "/v1/modules/live_echo/enable")
        #expect(on?.status == 200, "enable: \(on?.status ?? 0) \(on?.body ?? "no answer")")
        let enabled = r.tui.waitFor(Self.oneRefresh) { s in
            let row = matrixRow(s)
            return !row.isEmpty && !row.contains("○ live_echo") && !row.contains("disabled")
        }
        #expect(enabled.ok, "still shown as disabled: \(matrixRow(enabled.screen))")
    }
}
