import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Line mode driven through the built binary, as a script or a person would.
@Suite(.serialized) struct LineModeEndToEnd {
    let home = TemporaryDirectory(prefix: "nexus-e2e")

    var env: [String: String] {
        ["NEXUS_HOME": home.path + "/home", "XDG_CONFIG_HOME": home.path + "/config", "NO_COLOR": "1"]
    }

    @Test func pipedQuitExitsZero() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let r = NexusBinary.run(["--plain"], stdin: "/quit\n", env: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
    }

    @Test func endOfPipedInputExitsZero() throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run([], stdin: "\n\n   \n", env: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
    }

    @Test func versionPrintsTheVersion() throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(["--version"], env: env)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("0."))
    }

    /// libcurl and the TLS stack it pulls in are loaded on the first HTTP request, never at start-up
    /// (they were half of start-up when linked). glibc's loader lists every file it maps under LD_DEBUG.
    @Test(arguments: [["--version"], ["--plain"]])
    func startUpWithoutANetworkCallNeverLoadsLibcurl(args: [String]) throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(args, stdin: "/help\n/quit\n", env: env.merging(["LD_DEBUG": "files"]) { $1 })
        #expect(r.status == 0, "stderr: \(r.stderr.suffix(400))")
        #expect(r.stderr.contains("file=libsqlite3"), "LD_DEBUG output missing: the check would prove nothing")
        #expect(!r.stderr.contains("libcurl"))
        #expect(!r.stderr.contains("libssl"))
    }

    @Test func helpListsEverySubcommand() throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(["--help"], env: env)
        #expect(r.status == 0)
        for sub in ["doctor", "bench"] { #expect(r.stdout.contains(sub), "missing \(sub) in --help") }
    }

    @Test func unknownOptionIsAUsageErrorWithExitTwo() throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(["--no-such-flag"], env: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("--no-such-flag"))
    }

    @Test func nonUTF8BytesAndAMegabyteLineDoNotCrash() throws {
        try #require(NexusBinary.exists)
        var input: [UInt8] = [0xFF, 0xFE, 0x80, 0x0A]
        input += [UInt8](repeating: 0x61, count: 1 << 20) + [0x0A]
        input += Array("/quit\n".utf8)
        // The turns go to a local default on a free port, not to whatever listens on 127.0.0.1:8080 (a llama.cpp
        // server a person left running took a minute over the megabyte turn).
        let config = try LocalDefaultOnAFreePort.config(in: home)
        let r = Subprocess.run(
            [NexusBinary.path, "--json"], stdin: input,
            environment: env.merging(["PATH": "/usr/bin:/bin", "NEXUS_CONFIG": config]) { $1 })
        #expect(r.status <= 1, "stderr: \(r.stderr.prefix(500))")
        #expect(!r.stderr.contains("Fatal error"))
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.allSatisfy { $0.hasPrefix("{\"type\":") })
    }

    @Test func closedStdoutExitsQuietly() throws {
        try #require(NexusBinary.exists)
        let many = String(repeating: "/help\n", count: 2000) + "/quit\n"
        let r = NexusBinary.run(["--plain"], stdin: many, env: env, closeStdoutEarly: true)
        #expect(r.status == 0 || r.status == 1, "status \(r.status)")
        #expect(!r.stderr.contains("Fatal"))
        #expect(!r.stderr.contains("Broken pipe"))
    }

    /// An empty prompt used to wait forever for a turn that never started.
    @Test(arguments: [
        (["-p", ""], ""), (["-p", " "], ""), (["-p", "\u{A0}\t"], ""), (["-p", "-"], ""), (["-p", "-"], "\n \n"),
    ])
    func anEmptyPromptIsAUsageErrorAtOnce(args: [String], stdin: String) throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(args, stdin: stdin, env: env, timeout: 20)
        #expect(!r.timedOut, "nexus \(args) hung")
        #expect(r.status == 2, "stderr: \(r.stderr)")
        #expect(r.stderr.hasPrefix("nexus: -p: the prompt is empty\n  hint: "), "stderr: \(r.stderr)")
        #expect(r.stdout == "")
    }

    /// Every slash command through `-p` answers and ends, with the exit status it stands for.
    @Test(arguments: [("/help", Int32(0)), ("/quit", 0), ("/clear", 0), ("/no-such-command", 2), ("/model \"x", 2)])
    func aSlashCommandAsThePromptAnswersAndEnds(prompt: String, status: Int32) throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(["-p", prompt], env: env, timeout: 20)
        #expect(!r.timedOut, "nexus -p \(prompt) hung")
        #expect(r.status == status, "stderr: \(r.stderr)")
    }

    /// Lines of Unicode spaces, a vertical tab or a form feed are blank too: skipped, not awaited.
    @Test func pipedLinesOfOnlyUnicodeWhitespaceAreSkipped() throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(["--plain"], stdin: "\u{A0}\n\u{0B}\n\u{0C}\u{3000}\n/help\n", env: env, timeout: 20)
        #expect(!r.timedOut, "a blank line hung the script")
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("/quit"), "the line after the blank ones ran: \(r.stdout)")
    }

    /// A full disk or a closed stdout loses the answer: that is an error (exit 1) named on stderr.
    @Test(arguments: [
        (["-p", "/help"], ">/dev/full", "No space left on device"), (["-p", "/help"], ">&-", "Bad file descriptor"),
        (["-p", "/help", "--json"], ">&-", "Bad file descriptor"),
    ])
    func anAnswerThatCannotBeWrittenIsAnError(args: [String], redirection: String, reason: String) throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(args, stdout: redirection, env: env)
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stderr == "nexus: cannot write to standard output: \(reason)\n")
    }

    @Test func aScriptStopsAtTheFirstAnswerThatCannotBeWritten() throws {
        try #require(NexusBinary.exists)
        let script = String(repeating: "/help\n", count: 20)
        let r = NexusBinary.run(["--plain"], stdout: ">/dev/full", stdin: script, env: env)
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stderr == "nexus: cannot write to standard output: No space left on device\n")
    }

    @Test func homeThatIsAFileIsAOneLineErrorExitingTwo() throws {
        try #require(NexusBinary.exists)
        let file = home.write("not-a-dir", "x")
        let r = NexusBinary.run(["--plain"], stdin: "/quit\n", env: env.merging(["NEXUS_HOME": file]) { $1 })
        #expect(r.status == 2)
        #expect(r.stderr.contains(file))
        #expect(r.stderr.contains("hint:"))
    }

    @Test func databaseFromANewerVersionIsRefusedClearly() throws {
        try #require(NexusBinary.exists)
        let h = home.path + "/newer"
        _ = NexusBinary.run(["--plain"], stdin: "/quit\n", env: env.merging(["NEXUS_HOME": h]) { $1 })
        try Database(path: h + "/nexus.db").execute("PRAGMA user_version = 4242")
        let r = NexusBinary.run(["--plain"], stdin: "/quit\n", env: env.merging(["NEXUS_HOME": h]) { $1 })
        #expect(r.status != 0)
        #expect(r.stderr.contains("newer nexus"))
        #expect(!r.stderr.contains("Fatal"))
    }

    @Test func twoProcessesOnOneHomeBothWork() async throws {
        try #require(NexusBinary.exists)
        let e = env
        async let a = Task.detached {
            NexusBinary.run(["--json"], stdin: String(repeating: "hello\n", count: 20), env: e)
        }.value
        async let b = Task.detached {
            NexusBinary.run(["--json"], stdin: String(repeating: "hello\n", count: 20), env: e)
        }.value
        let (ra, rb) = await (a, b)
        #expect(
            ra.stdout.split(separator: "\n").filter { $0.contains("turn_finished") }.count == 20,
            "stderr a: \(ra.stderr.prefix(300))")
        #expect(
            rb.stdout.split(separator: "\n").filter { $0.contains("turn_finished") }.count == 20,
            "stderr b: \(rb.stderr.prefix(300))")
    }

    @Test(arguments: ["dumb", ""])
    func aTerminalThatCannotDrawAScreenGetsLineMode(term: String) throws {
        try #require(NexusBinary.exists)
        let typed = PseudoTerminal.run(
            [NexusBinary.path], environment: env.merging(["TERM": term]) { $1 }, typing: ["/quit\r"],
            waitFor: "nexus> ")
        #expect(typed.sawMarker, "no line-mode prompt with TERM=\(term): \(typed.output.suffix(300))")
        #expect(typed.status == 0)
    }

    @Test func historyIsWrittenOnlyForTerminals() throws {
        try #require(NexusBinary.exists)
        let h = home.path + "/hist"
        _ = NexusBinary.run(["--plain"], stdin: "/quit\n", env: env.merging(["NEXUS_HOME": h]) { $1 })
        #expect(access(h + "/repl_history", F_OK) != 0, "piped input must not write history")
        let typed = PseudoTerminal.run(
            [NexusBinary.path, "--plain"], environment: env.merging(["NEXUS_HOME": h, "TERM": "dumb"]) { $1 },
            typing: ["/quit\r"], waitFor: "nexus> ")
        #expect(typed.sawMarker, "no prompt on the terminal: \(typed.output.suffix(300))")
        #expect(access(h + "/repl_history", F_OK) == 0, "a terminal session keeps its history")
    }
}
