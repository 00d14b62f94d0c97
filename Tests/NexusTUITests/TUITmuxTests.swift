import NexusCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real terminal stack (curses, raw input, signals) in tmux, driven by the scripted session:
/// this test binary re-runs itself with `NEXUS_TUI_DEMO=1 --filter tuiDemo` inside a private tmux
/// server. The same checks run against the built `nexus` in EndToEndTests/TUITests.swift.
@Suite(.serialized) struct TUITmux {
    static var tmuxAvailable: Bool { sh("command -v tmux >/dev/null 2>&1").status == 0 }

    struct Screen {
        let socket = "nexus-tui-unit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let dir: String

        init(width: Int, height: Int, env: String = "") {
            var t = Array("/tmp/nexus-tui-tmux-XXXXXX".utf8CString)
            t.withUnsafeMutableBufferPointer { _ = mkdtemp($0.baseAddress!) }
            dir = String(decoding: t.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let exe = String(cString: realpath("/proc/self/exe", nil)!)
            let script = """
                #!/bin/sh
                cd \(dir)
                stty -a > stty.before
                env NEXUS_TUI_DEMO=1 LANG=C.UTF-8 \(env) sh -c 'echo $$ > pid; exec "$0" --testing-library swift-testing --filter tuiDemo' \(exe) 2>demo.err
                echo "DEMO-EXIT=$?"
                stty -a > stty.after
                sleep 600
                """
            let fd = open(dir + "/run.sh", O_WRONLY | O_CREAT | O_TRUNC, 0o755)
            _ = script.withCString { write(fd, $0, strlen($0)) }
            close(fd)
            _ = sh("tmux -u -L \(socket) -f /dev/null new-session -d -s t -x \(width) -y \(height) \(dir)/run.sh")
            _ = sh("tmux -L \(socket) set-option -g status off")
        }

        func tmux(_ a: String) -> String { sh("tmux -L \(socket) \(a)").output }
        var text: String { tmux("capture-pane -p -t t") }
        func type(_ s: String) { _ = tmux("send-keys -t t -l '\(s)'") }
        func press(_ k: String) { _ = tmux("send-keys -t t \(k)") }
        func file(_ n: String) -> String { sh("cat \(dir)/\(n) 2>/dev/null").output }
        var alternate: Bool { tmux("display -p -t t '#{alternate_on}'").hasPrefix("1") }

        @discardableResult
        func wait(_ seconds: Double = 10, _ p: (String) -> Bool) -> (ok: Bool, screen: String) {
            let end = MonotonicClock.nanoseconds() + UInt64(seconds * 1e9)
            var s = text
            while !p(s) {
                if MonotonicClock.nanoseconds() > end { return (false, s) }
                usleep(25_000)
                s = text
            }
            return (true, s)
        }

        func stop() {
            _ = tmux("kill-server")
            _ = sh("rm -rf \(dir)")
        }

        /// Waits for the exit line and compares `stty -a` from before and after.
        func expectRestored(_ status: Int = 0) {
            let done = wait(15) { $0.contains("DEMO-EXIT=") }
            #expect(done.screen.contains("DEMO-EXIT=\(status)"), "\(done.screen)\n\(file("demo.err"))")
            #expect(!alternate)
            _ = wait(5) { _ in !file("stty.after").isEmpty }
            #expect(file("stty.before") == file("stty.after"), "stty -a changed")
        }
    }

    static func sh(_ command: String) -> (status: Int32, output: String) {
        guard let p = popen(command + " 2>/dev/null", "r") else { return (-1, "") }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, p)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        let status = pclose(p)
        return ((status >> 8) & 0xFF, String(decoding: out, as: UTF8.self))
    }

    func start(_ w: Int, _ h: Int, env: String = "") throws -> Screen {
        guard Self.tmuxAvailable else { try Test.cancel("tmux is not installed") }
        let s = Screen(width: w, height: h, env: env)
        let up = s.wait(20) { $0.contains("privacy:") }
        if !up.ok {
            s.stop()
            Issue.record("the TUI did not start: \(up.screen)")
        }
        return s
    }

    @Test func startsAt80x24And160x48AndExitsWithTheTerminalRestored() throws {
        let small = try start(80, 24)
        defer { small.stop() }
        let s = small.text
        #expect(s.hasPrefix("input›classify›tier›model›tools›exec›synth"))
        #expect(s.contains("┌─ chat"))
        small.press("C-d")
        small.expectRestored()

        let big = try start(160, 48)
        defer { big.stop() }
        for label in ["pipeline", "modules (2)", "tokens & cost", "[model selector", "clashroyale", "● local"] {
            #expect(big.text.contains(label), "missing \(label)")
        }
        big.type("/quit")
        big.press("Enter")
        big.expectRestored()
    }

    @Test func aStreamedAnswerLightsUpThePipelineAndHelpIsShown() throws {
        let t = try start(160, 48)
        defer { t.stop() }
        t.type("hello 世界")
        #expect(t.wait(2) { $0.contains("› hello 世界") }.ok)
        t.press("Enter")
        var sawActive = false
        let done = t.wait(20) { s in
            if s.contains("▶[executor") { sawActive = true }
            return s.contains("ANSWER-END")
        }
        #expect(done.ok)
        #expect(sawActive)
        #expect(done.screen.contains("Sure. Here is 日本語 text and an emoji 😀 in a streamed answer."))
        #expect(done.screen.contains("│ print(\"hi\")"))
        let classifier = done.screen.split(separator: "\n").first { $0.contains("[classifier") } ?? ""
        #expect(classifier.contains("12ms") && classifier.contains("simple_query"))
        t.type("/he")
        t.press("Tab")
        #expect(t.wait(2) { $0.contains("\n› /help") }.ok)
        t.press("Enter")
        #expect(t.wait(5) { $0.contains("/install  install a module") }.ok)
        t.press("C-d")
        t.expectRestored()
    }

    @Test(arguments: [("y", "→ approved", "module weather installed"), ("n", "→ denied", "install declined")])
    func anApprovalIsAnsweredInline(key: String, recorded: String, outcome: String) throws {
        let t = try start(100, 30)
        defer { t.stop() }
        t.type("/install")
        t.press("Enter")
        let asked = t.wait(5) { $0.contains("[y]es [n]o [a]lways") }
        #expect(asked.ok)
        for detail in [
            "purpose", "network      api.open-meteo.com", "sha256       9f2c1e0b7a", "tests        6 passed",
        ] {
            #expect(asked.screen.contains(detail), "missing \(detail)")
        }
        t.type("x")
        #expect(t.wait(2) { $0.contains("answer y (yes)") }.ok)
        #expect(!t.text.contains(outcome))
        t.type(key)
        let r = t.wait(5) { $0.contains(recorded) && $0.contains(outcome) }
        #expect(r.ok, "\(r.screen)")
        t.press("C-d")
        t.expectRestored()
    }

    @Test func aResizeRelaysOutAndKeepsTheConversation() throws {
        let t = try start(160, 48)
        defer { t.stop() }
        t.type("/help")
        t.press("Enter")
        #expect(t.wait(5) { $0.contains("/install  install") }.ok)
        _ = t.tmux("resize-window -t t -x 80 -y 24")
        let small = t.wait(5) { $0.hasPrefix("input›classify") && $0.contains("/install  install") }
        #expect(small.ok, "\(small.screen)")
        _ = t.tmux("resize-window -t t -x 160 -y 48")
        #expect(t.wait(5) { $0.contains("tokens & cost") && $0.contains("/install  install") }.ok)
        t.press("C-d")
        t.expectRestored()
        // Nothing of the TUI is left on the main screen after leaving it.
        #expect(!t.text.contains("│") && !t.text.contains("┃"), "\(t.text)")
    }

    @Test func aCLocaleStillShowsAccentsAndCJK() throws {
        let t = try start(80, 24, env: "LANG=C LC_ALL=C")
        defer { t.stop() }
        t.type("héllo 日本 ok")
        let r = t.wait(5) { $0.contains("héllo 日本 ok") }
        #expect(r.ok, "\(r.screen)")
        t.press("C-u")
        t.press("C-d")
        t.expectRestored()
    }

    @Test func ctrlCCancelsTheRunningTurn() throws {
        let t = try start(120, 40)
        defer { t.stop() }
        t.type("long answer please")
        t.press("Enter")
        #expect(t.wait(10) { $0.contains("word20") }.ok)
        t.press("C-c")
        let r = t.wait(5) { $0.contains("turn cancelled") }
        #expect(r.ok, "\(r.screen)")
        #expect(!r.screen.contains("word399"))
        t.press("C-d")
        t.expectRestored()
    }

    @Test func anUnknownTerminalIsAOneLineErrorNotACrash() throws {
        guard Self.tmuxAvailable else { try Test.cancel("tmux is not installed") }
        let t = Screen(width: 80, height: 24, env: "TERM=no-such-term")
        defer { t.stop() }
        let done = t.wait(15) { $0.contains("DEMO-EXIT=") }
        #expect(done.ok)
        let err = t.file("demo.err")
        #expect(err.contains("nexus: could not start the terminal UI (TERM=no-such-term)"), "\(err)")
        #expect(err.contains("hint:"))
        _ = t.wait(5) { _ in !t.file("stty.after").isEmpty }
        #expect(t.file("stty.before") == t.file("stty.after"))
    }

    @Test func aCrashRestoresTheTerminal() throws {
        let t = try start(100, 30)
        defer { t.stop() }
        let pid = pid_t(t.file("pid").split(separator: "\n").first ?? "") ?? 0
        #expect(pid > 0)
        kill(pid, SIGSEGV)
        let done = t.wait(10) { $0.contains("DEMO-EXIT=") }
        #expect(done.ok)
        #expect(done.screen.contains("DEMO-EXIT=139"), "\(done.screen)")  // it did die of the signal
        #expect(!t.alternate)
        _ = t.wait(5) { _ in !t.file("stty.after").isEmpty }
        #expect(t.file("stty.before") == t.file("stty.after"), "stty -a changed after a crash")
    }

    @Test func sigtermRestoresTheTerminal() throws {
        let t = try start(100, 30)
        defer { t.stop() }
        let pid = pid_t(t.file("pid").split(separator: "\n").first ?? "") ?? 0
        #expect(pid > 0)
        kill(pid, SIGTERM)
        // The demo test expects 0 and records an issue for 143, so the runner exits 1; what
        // matters here is that the terminal is back.
        let done = t.wait(10) { $0.contains("DEMO-EXIT=") }
        #expect(done.ok)
        #expect(!t.alternate)
        _ = t.wait(5) { _ in !t.file("stty.after").isEmpty }
        #expect(t.file("stty.before") == t.file("stty.after"))
    }
}
