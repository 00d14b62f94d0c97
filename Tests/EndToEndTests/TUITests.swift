import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The TUI through the built binary in tmux, at fixed sizes, against a fake provider: start-up,
/// a streamed answer lighting the pipeline, /help, approvals, resize, and a clean exit that leaves
/// `stty -a` exactly as it was.
///
/// Wiring these rely on (each test says so and is cancelled, not failed, while it is missing):
/// - `nexus` with no arguments on a terminal opens `TUIApp`;
/// - `nexus-fake-provider --protocol openai --script FILE` prints `listening on URL` (and `base_url URL`);
/// - `/modules install DIR` asks for approval through `TUIApp.interaction`.
@Suite(.serialized) struct TUIEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-tui-e2e")

    static let answerScript = """
        {"models": ["fake-model"], "repeat_last": true, "replies": [
          {"text": ["Hello ", "from ", "the ", "fake ", "provider: ", "日本語 ", "and ", "😀 ", "streamed ", "slowly. ",
                    "ANSWER", "-END"], "usage": {"input": 21, "output": 12}, "delay_ms": 60}]}
        """

    /// Starts nexus in tmux (after recording `stty -a`), with a fake provider configured. Cancels
    /// the test with the reason when the binary cannot do that yet.
    func launch(width: Int, height: Int) throws -> (TUIHarness, FakeProviderProcess) {
        guard TUIHarness.tmuxAvailable else { try Test.cancel("tmux is not installed") }
        guard access(TUIHarness.binary, X_OK) == 0 else { try Test.cancel("build nexus first: \(TUIHarness.binary)") }
        guard let fake = FakeProviderProcess.start(scriptJSON: Self.answerScript, dir: dir) else {
            Issue.record("`nexus-fake-provider --protocol openai --script FILE` did not start")
            throw TUIWiringError.fakeProvider
        }
        _ = TUIHarness.shell("mkdir -p \(TUIHarness.quote(dir.path + "/config/nexus"))")
        _ = dir.write("config/nexus/nexus.toml", fake.config())
        let q = TUIHarness.quote
        let script = """
            cd \(q(dir.path))
            stty -a > stty.before
            env NEXUS_HOME=\(q(dir.path + "/home")) XDG_CONFIG_HOME=\(q(dir.path + "/config")) LANG=C.UTF-8 \\
              sh -c 'echo $$ > nexus.pid; exec "$0"' \(q(TUIHarness.binary))
            echo "NEXUS-EXIT=$?"
            stty -a > stty.after
            sleep 600
            """
        let t = TUIHarness(width: width, height: height, script: script, dir: dir)
        let up = t.waitFor(15) { $0.contains("privacy:") && $0.contains("chat") }
        if !up.ok {
            t.stop()
            fake.stop()
            let head = up.screen.split(separator: "\n").prefix(3).joined(separator: " | ")
            Issue.record("nexus did not open the TUI on a terminal; screen: \(head)")
            throw TUIWiringError.noTUI
        }
        return (t, fake)
    }

    func readFile(_ name: String) -> String {
        TUIHarness.shell("cat \(TUIHarness.quote(dir.path + "/" + name)) 2>/dev/null").output
    }

    /// Quits with Ctrl-D and checks the terminal came back exactly as it was.
    func quitAndCheckRestored(_ t: TUIHarness, key: String = "C-d") {
        t.press(key)
        let done = t.waitFor(10) { $0.contains("NEXUS-EXIT=") }
        #expect(done.ok, "nexus did not exit: \(done.screen)")
        #expect(done.screen.contains("NEXUS-EXIT=0"))
        #expect(!t.alternateScreen)
        _ = t.waitFor(5) { _ in !readFile("stty.after").isEmpty }
        #expect(readFile("stty.before") == readFile("stty.after"), "stty -a changed")
    }

    @Test func startsAt80x24WithTheChatUnderAPipelineStrip() throws {
        let (t, fake) = try launch(width: 80, height: 24)
        defer {
            t.stop()
            fake.stop()
        }
        let s = t.screen()
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.contains("input›classify›tier›model›tools›exec›synth") == true)
        #expect(s.contains("┌─ chat"))
        #expect(s.contains("privacy:") && s.contains("sandbox:"))
        quitAndCheckRestored(t)
    }

    @Test func startsAt160x48WithEveryPane() throws {
        let (t, fake) = try launch(width: 160, height: 48)
        defer {
            t.stop()
            fake.stop()
        }
        let s = t.screen()
        for label in [
            "chat", "pipeline", "modules", "tokens & cost", "[classifier", "[tier router", "[model selector",
            "[synthesis",
        ] {
            #expect(s.contains(label), "missing \(label)")
        }
        quitAndCheckRestored(t)
    }

    @Test func aStreamedAnswerLightsUpThePipeline() throws {
        let (t, fake) = try launch(width: 160, height: 48)
        defer {
            t.stop()
            fake.stop()
        }
        t.type("say hello")
        t.press("Enter")
        var sawActive = false
        let done = t.waitFor(30) { s in
            if s.contains("▶[") { sawActive = true }
            return s.contains("ANSWER-END")
        }
        #expect(done.ok, "no answer: \(done.screen)")
        #expect(sawActive, "no pipeline node was highlighted while the turn ran")
        #expect(done.screen.contains("日本語 and 😀 streamed slowly."))
        // The executor leaves after its last token: its badge follows shortly.
        func executorRow(_ s: String) -> String {
            String(s.split(separator: "\n").first { $0.contains("[executor") } ?? "")
        }
        let settled = t.waitFor(5) { executorRow($0).contains(#/[0-9](ms|s) /#) }
        #expect(settled.ok, "executor has no latency badge: \(executorRow(settled.screen))")
        #expect(settled.screen.contains("fake-model"), "the chosen model is not shown")
        quitAndCheckRestored(t)
    }

    @Test func slashHelpListsTheCommands() throws {
        let (t, fake) = try launch(width: 120, height: 40)
        defer {
            t.stop()
            fake.stop()
        }
        t.type("/help")
        t.press("Enter")
        let r = t.waitFor(10) { s in s.contains("/quit") && s.contains("/model") }
        #expect(r.ok, "help not shown: \(r.screen)")
        quitAndCheckRestored(t)
    }

    @Test(arguments: [("y", "→ approved"), ("n", "→ denied")])
    func anInstallApprovalIsAnsweredInline(key: String, recorded: String) throws {
        let (t, fake) = try launch(width: 160, height: 48)
        defer {
            t.stop()
            fake.stop()
        }
        let module = dir.path + "/mod-\(key)"
        _ = TUIHarness.shell("mkdir -p \(TUIHarness.quote(module))")
        _ = dir.write(
            "mod-\(key)/manifest.json",
            """
            {"name": "echo_\(key)", "version": "1.0.0", "category": "test", "description": "echoes",
             "runtime": {"protocol": "mcp-stdio", "command": ["python3", "adapter.py"]},
             "network": {"allow": []}, "credentials": []}
            """)
        _ = dir.write("mod-\(key)/adapter.py", "print('hi')\n")
        t.type("/modules install \(module)")
        t.press("Enter")
        let asked = t.waitFor(15) { $0.contains("[y]es [n]o [a]lways") }
        if !asked.ok {
            t.press("C-d")
            Issue.record("`/modules install DIR` did not ask for approval in the TUI: \(asked.screen)")
            return
        }
        #expect(asked.screen.contains("echo_\(key)"))
        t.type("x")  // anything else is refused: nothing proceeds without y / n / a
        usleep(300_000)
        #expect(t.screen().contains("[y]es [n]o [a]lways"))
        t.type(key)
        let answered = t.waitFor(10) { $0.contains(recorded) && !$0.contains("[y]es [n]o [a]lways") }
        #expect(answered.ok, "answer not recorded: \(answered.screen)")
        quitAndCheckRestored(t)
    }

    @Test func aResizeRelaysOutWithoutLosingTheConversation() throws {
        let (t, fake) = try launch(width: 160, height: 48)
        defer {
            t.stop()
            fake.stop()
        }
        t.type("/help")
        t.press("Enter")
        #expect(t.waitFor(10) { $0.contains("/quit") }.ok)
        t.resize(width: 80, height: 24)
        let small = t.waitFor(5) {
            $0.contains("input›classify") && !$0.contains("tokens & cost")
                && ($0.contains("/quit") || $0.contains("/model"))
        }
        #expect(small.ok, "no compact layout showing the conversation after resize: \(small.screen)")
        t.resize(width: 160, height: 48)
        let big = t.waitFor(5) { $0.contains("tokens & cost") && $0.contains("/help") }
        #expect(big.ok, "no wide layout after resize: \(big.screen)")
        quitAndCheckRestored(t)
        #expect(!t.screen().contains("│"), "TUI rows left on the main screen")
    }

    @Test func slashQuitAndSigtermBothRestoreTheTerminal() throws {
        do {
            let (t, fake) = try launch(width: 100, height: 30)
            defer {
                t.stop()
                fake.stop()
            }
            t.type("/quit")
            t.press("Enter")
            let done = t.waitFor(10) { $0.contains("NEXUS-EXIT=") }
            #expect(done.screen.contains("NEXUS-EXIT=0"))
            _ = t.waitFor(5) { _ in !readFile("stty.after").isEmpty }
            #expect(readFile("stty.before") == readFile("stty.after"))
        }
        _ = TUIHarness.shell("rm -f \(TUIHarness.quote(dir.path + "/stty.after"))")
        let (t, fake) = try launch(width: 100, height: 30)
        defer {
            t.stop()
            fake.stop()
        }
        let pid = pid_t(readFile("nexus.pid").split(separator: "\n").first ?? "") ?? 0
        #expect(pid > 0)
        kill(pid, SIGTERM)
        let done = t.waitFor(10) { $0.contains("NEXUS-EXIT=") }
        #expect(done.ok)
        #expect(!t.alternateScreen)
        _ = t.waitFor(5) { _ in !readFile("stty.after").isEmpty }
        #expect(readFile("stty.before") == readFile("stty.after"), "stty -a changed after SIGTERM")
    }
}

/// The wiring a TUI end-to-end test needs was missing (recorded as an issue, then the test stops).
enum TUIWiringError: Error { case fakeProvider, noTUI }
