import NexusCore
import NexusTesting
import Testing

/// A developer who lives in the terminal, driving the built `nexus` without the TUI: one-shot prompts, piped
/// turns with slash commands, `--json` consumers, against the fake provider over real loopback HTTP.
/// Each spec is something such a user tripped on: what they were told, the exit status, the events.
@Suite(.serialized) struct DemandingUserSpecs {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-demanding")

    /// A config whose every built-in route is `fake:fake-model` on `server`, plus `extraTOML`.
    func environment(_ server: FakeProviderServer, extraTOML: String = "", routing: Bool = true) -> [String: String] {
        let routes = routing ? "[routing]\nsimple_query = \"fake:fake-model\"\n" : ""
        let config = """
            [providers.fake]
            kind = "openai"
            base_url = "\(server.baseURL(for: .openai))"
            max_retries = 0

            \(routes)
            \(extraTOML)
            """
        let path = dir.write("nexus-\(UInt64.random(in: 0...UInt64.max)).toml", config)
        return ["NEXUS_HOME": dir.path + "/home", "NEXUS_CONFIG": path, "NO_COLOR": "1"]
    }

    /// The tool results a chat request carried back to the model, in order.
    static func toolResults(_ request: RecordedRequest?) -> [String] {
        (request?.json?["messages"]?.arrayValue ?? []).filter { $0["role"]?.stringValue == "tool" }
            .compactMap { $0["content"]?.stringValue }
    }

    static func events(_ stdout: String) -> [JSONValue] {
        stdout.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
    }

    @Test func aModelThatNeverStopsCallingToolsFailsTheTurnAndSaysWhy() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.setRepeatLastReply(true)
        server.enqueue(.toolCall(name: "calc", arguments: #"{"expression":"1+1"}"#))
        let env = environment(server, extraTOML: "[conversation]\nmax_tool_steps = 3")

        let text = NexusBinary.run(["-p", "add forever"], env: env)
        #expect(text.status == 1, "no answer came, so the turn failed: \(text.stderr)")
        #expect(text.stdout.isEmpty)
        #expect(text.stderr.contains("stopped after 3 tool steps without an answer"), "stderr: \(text.stderr)")
        #expect(text.stderr.contains("last: calc"))
        #expect(text.stderr.contains("hint: raise [conversation] max_tool_steps"), "stderr: \(text.stderr)")
        #expect(server.chatRequests.count == 3, "three model calls, then it stopped")

        let json = NexusBinary.run(["-p", "add forever", "--json"], env: env)
        #expect(json.status == 1)
        let events = Self.events(json.stdout)
        let error = events.first { $0["type"]?.stringValue == "error" }
        #expect(error?["message"]?.stringValue?.contains("3 tool steps") == true, "events: \(json.stdout)")
        #expect(events.last?["type"]?.stringValue == "turn_finished")
        #expect(events.last?["outcome"]?.stringValue == "error", "a consumer sees the turn did not end well")
    }

    @Test func aDeclaredProviderWithoutARouteSaysToAddOneNotToSetAnAPIKey() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let r = NexusBinary.run(["-p", "hello"], env: environment(server, routing: false))
        #expect(r.status == 1)
        #expect(r.stderr.contains("no model is routed for simple_query"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains(#"add simple_query = "fake:MODEL" under [routing]"#), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("/model simple_query fake:MODEL"))
        #expect(!r.stderr.contains("ANTHROPIC_API_KEY"), "a key would not help: \(r.stderr)")
        #expect(server.chatRequests.isEmpty)
    }

    /// `nexus --plain` on a terminal (TERM=dumb: libedit, no TUI) against `server`, playing `steps`.
    func onTerminal(_ server: FakeProviderServer, _ steps: [PseudoTerminal.Step]) -> PseudoTerminal.Result {
        let env = environment(server).merging(["TERM": "dumb"]) { $1 }
        return PseudoTerminal.run([NexusBinary.path, "--plain"], environment: env, steps: steps)
    }

    /// Runs `nexus args` from `cwd`, so relative paths are relative to it.
    static func run(_ args: [String], in cwd: String, env: [String: String]) -> Subprocess.Result {
        Subprocess.run(
            ["/bin/sh", "-c", "cd \"$1\" && shift && exec \"$0\" \"$@\"", NexusBinary.path, cwd] + args, stdin: [],
            environment: NexusBinary.environment(env), timeout: 90)
    }

    @Test func homeAndConfigBeforeTheSubcommandReachIt() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        var env = environment(server)
        let (home, config) = (env["NEXUS_HOME"] ?? "", env["NEXUS_CONFIG"] ?? "")
        env["NEXUS_HOME"] = nil
        env["NEXUS_CONFIG"] = nil
        let budget = NexusBinary.run(["--home", home, "--config", config, "budget"], env: env)
        #expect(budget.status == 0, "stderr: \(budget.stderr)")
        #expect(budget.stdout.contains("today (UTC)"))
        let list = NexusBinary.run(["--config=\(config)", "--home", home, "modules", "list"], env: env)
        #expect(list.status == 0, "stderr: \(list.stderr)")
        #expect(list.stdout.contains("clock"), "the built-in module is listed: \(list.stdout)")
        let route = NexusBinary.run(["--home", home, "--config", config, "route", "show"], env: env)
        #expect(route.status == 0, "stderr: \(route.stderr)")
        #expect(route.stdout.contains("fake:fake-model"))
    }

    @Test func aRelativeConfigPathStillStartsModules() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.toolCall(name: "clock__now", arguments: #"{"timezone":"UTC"}"#), .text("ok"))
        var env = environment(server)
        let config = env["NEXUS_CONFIG"] ?? ""
        env["NEXUS_CONFIG"] = nil
        let name = String(config[config.index(after: config.lastIndex(of: "/") ?? config.startIndex)...])
        let r = Self.run(["--config", "./" + name, "-p", "what time is it?"], in: dir.path, env: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let result = Self.toolResults(server.chatRequests.last).first ?? ""
        #expect(result.contains("\"timezone\""), "the module started and answered: \(result)")
        #expect(!result.hasPrefix("ERROR"), "\(result)")
    }

    @Test func unreadableToolArgumentsAreSentBackNotRunWithDefaults() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            .toolCall(name: "clock__now", arguments: "{timezone: Asia/Tokyo"),
            .toolCall(name: "calc", arguments: "[1]"),
            .text("ok"))
        let r = NexusBinary.run(["-p", "time in Tokyo?"], env: environment(server))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        try #require(server.chatRequests.count == 3)
        let results = Self.toolResults(server.chatRequests.last)
        try #require(results.count == 2, "\(results)")
        #expect(results[0].contains("the arguments for tool 'clock__now' are not valid JSON"), "\(results[0])")
        #expect(!results[0].contains("\"timezone\""), "the module was not run with {} in their place")
        #expect(results[1].contains("the arguments for tool 'calc' must be a JSON object, got array"), "\(results[1])")
    }

    @Test func ctrlCMidStreamCancelsTheTurnAndTheNextTurnStillWorks() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let words = ["one ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight ", "nine ", "ten"]
        server.enqueue(FakeReply(.stream(FakeStream(chunks: words, delayMs: 300))), .text("second answer"))
        let r = onTerminal(
            server,
            [
                .init(waitFor: "nexus> ", type: "count to ten\r"), .init(waitFor: "two ", type: "\u{03}"),
                .init(waitFor: "turn cancelled", type: "hello\r"), .init(waitFor: "second answer", type: "/quit\r"),
            ])
        #expect(r.sawMarker, "every step came: \(r.output.suffix(600))")
        #expect(r.status == 0, "Ctrl-C ended the turn, not nexus: \(r.output.suffix(600))")
        #expect(!r.output.contains("nine"), "the stream stopped when cancelled")
    }

    @Test func ctrlCAtTheFirstPromptDoesNotKillNexus() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let r = onTerminal(
            server,
            [
                .init(waitFor: "nexus> ", type: "\u{03}"), .init(waitFor: "again to quit", type: ""),
                .init(waitFor: "nexus> ", type: "/quit\r"),
            ])
        #expect(r.sawMarker, "Ctrl-C at the first prompt says how to quit: \(r.output.suffix(400))")
        #expect(r.status == 0, "and nexus is still there for /quit: \(r.output.suffix(400))")
    }

    /// Some OpenAI-compatible servers end a tool-calling stream with `[DONE]` and no `finish_reason`.
    @Test func aToolCallCompletedOnlyByDoneIsRunNotCalledAnEmptyAnswer() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let call = #"{"index":0,"id":"c1","function":{"name":"calc","arguments":"{\"expression\":\"6*7\"}"}}"#
        server.enqueue(
            FakeReply(
                .raw(
                    status: 200, contentType: "text/event-stream",
                    pieces: [#"data: {"choices":[{"delta":{"tool_calls":["# + call + "]}}]}\n\n", "data: [DONE]\n\n"],
                    delayMs: 0)),
            .text("It is 42."))
        let r = NexusBinary.run(["-p", "6*7?"], env: environment(server))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "It is 42.\n")
        #expect(!r.stderr.contains("empty answer"), "stderr: \(r.stderr)")
        #expect(Self.toolResults(server.chatRequests.last) == ["42"])
    }

    @Test func aBudgetThatStopsDoesNotSuggestApprovingInteractively() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let toml = """
            [pricing."fake:fake-model"]
            input_per_mtok = 50000.0
            output_per_mtok = 50000.0
            [budget]
            session_usd = 0.01
            on_exceed = "stop"
            """
        let r = NexusBinary.run(["-p", "hello"], env: environment(server, extraTOML: toml))
        #expect(r.status == 3, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("go over the session cap"))
        #expect(r.stderr.contains("/model simple_query PROVIDER:MODEL"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains(#"set on_exceed = "ask" to be asked"#))
        #expect(!r.stderr.contains("run interactively"), "stop never asks: \(r.stderr)")
        #expect(server.chatRequests.isEmpty, "the call was refused before it was made")
    }

    @Test func modelAloneShowsTheAssignmentsAndHowToChangeThem() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let r = NexusBinary.run(["--plain"], stdin: "/model\n", env: environment(server))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let row = r.stdout.split(separator: "\n").first { $0.contains("simple_query") } ?? ""
        #expect(row.contains("fake:fake-model"), "stdout: \(r.stdout)")
        #expect(r.stdout.contains("change one: /model TASK_TYPE PROVIDER:MODEL"))
    }

    @Test func aGiantToolNameDoesNotFloodTheTerminalOrTheModel() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let name = String(repeating: "x", count: 200_000)
        server.enqueue(.toolCall(name: name, arguments: "{}"), .text("done."))
        let r = NexusBinary.run(["-p", "go"], env: environment(server))
        #expect(r.status == 0, "stderr: \(r.stderr.prefix(300))")
        #expect(r.stderr.utf8.count < 2_000, "stderr has \(r.stderr.utf8.count) bytes")
        let result = Self.toolResults(server.chatRequests.last).first ?? ""
        #expect(result.hasPrefix("ERROR: unknown tool"), "\(result.prefix(200))")
        #expect(result.utf8.count < 1_000, "the model is told which tools exist, not its name back whole")
    }

    /// Two loopback servers: one rate-limits for two minutes, the other is healthy.
    @Test func aLongRetryAfterFallsBackAtOnceAndSaysWhy() throws {
        try #require(NexusBinary.exists)
        let limited = try FakeProviderServer()
        let healthy = try FakeProviderServer()
        defer {
            limited.stop()
            healthy.stop()
        }
        limited.setRepeatLastReply(true)
        limited.enqueue(.error(429, retryAfter: "120"))
        healthy.enqueue(.text("from the backup"))
        let config = dir.write(
            "two-servers.toml",
            """
            [providers.busy]
            kind = "openai"
            base_url = "\(limited.baseURL(for: .openai))"
            [providers.spare]
            kind = "openai"
            base_url = "\(healthy.baseURL(for: .openai))"
            [routing]
            simple_query = ["busy:fake-model", "spare:fake-model"]
            """)
        let env = ["NEXUS_HOME": dir.path + "/home-two", "NEXUS_CONFIG": config, "NO_COLOR": "1"]
        let started = MonotonicClock.nanoseconds()
        let r = NexusBinary.run(["-p", "hello", "--json"], env: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(MonotonicClock.millisSince(started) < 20_000, "nobody waited two minutes")
        let events = Self.events(r.stdout)
        let fallback = events.first { $0["type"]?.stringValue == "fallback" }
        #expect(fallback?["reason"]?.stringValue == "rate-limited (asked to wait 120 s)", "\(r.stdout)")
        let outcomes = events.filter { $0["type"]?.stringValue == "usage" }.compactMap { $0["outcome"]?.stringValue }
        #expect(outcomes == ["fallback", "ok"], "the ledger keeps the refused attempt and the answer")
        #expect(limited.chatRequests.count == 1 && healthy.chatRequests.count == 1)
    }

    @Test func aBuiltinToolNamesTheArgumentOfTheWrongType() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            .toolCall(name: "calc", arguments: #"{"expression":12345}"#),
            .toolCall(name: "time_now", arguments: #"{"utc_offset_hours":"Tokyo"}"#), .text("ok"))
        let r = NexusBinary.run(["-p", "go"], env: environment(server))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let results = Self.toolResults(server.chatRequests.last)
        #expect(results.first?.contains(#""expression" must be a string, got number"#) == true, "\(results)")
        #expect(results.last?.contains(#""utc_offset_hours" must be a number, got string"#) == true, "\(results)")
    }

    @Test func aMistypedTaskTypeOrProviderIsRefusedWithTheNameMeant() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let env = environment(server)
        let slash = NexusBinary.run(
            ["--plain"], stdin: "/model simple_qeury fake:fake-large\n/model simple_query fak:fake-large\n", env: env)
        #expect(slash.status == 2)
        #expect(slash.stderr.contains("no task type \"simple_qeury\""), "stderr: \(slash.stderr)")
        #expect(slash.stderr.contains("did you mean simple_query?"))
        #expect(slash.stderr.contains("did you mean fake? configured providers: fake"), "stderr: \(slash.stderr)")
        let cli = NexusBinary.run(["route", "set", "code_generaton", "fake:fake-large"], env: env)
        #expect(cli.status == 2, "stdout: \(cli.stdout)")
        #expect(cli.stderr.contains("did you mean code_generation?"), "stderr: \(cli.stderr)")
        let table = NexusBinary.run(["route"], env: env)
        #expect(!table.stdout.contains("simple_qeury") && !table.stdout.contains("code_generaton"), "\(table.stdout)")
        let fresh = NexusBinary.run(["route", "set", "translation", "fake:fake-large"], env: env)
        #expect(fresh.status == 0, "a name far from every task type still makes a new one: \(fresh.stderr)")
    }

    @Test func tabCompletesSlashCommandsInLineMode() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let r = onTerminal(
            server,
            [
                .init(waitFor: "nexus> ", type: "/help\r"), .init(waitFor: "Type /help COMMAND", type: ""),
                .init(waitFor: "nexus> ", type: "/cos\t\r"),
                .init(waitFor: "This session:", type: "/quit\r"),
            ])
        #expect(r.sawMarker, "/cos + Tab ran /cost: \(r.output.suffix(500))")
        #expect(!r.output.contains("unknown command"), "\(r.output.suffix(500))")
        #expect(r.status == 0)
    }

    @Test func ctrlCAtThePromptDropsWhatWasTypedAndPromptsAgain() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let r = onTerminal(
            server,
            [
                .init(waitFor: "nexus> ", type: "/help\r"), .init(waitFor: "Type /help COMMAND", type: ""),
                .init(waitFor: "nexus> ", type: "/hist"), .init(waitFor: "/hist", type: "\u{03}"),
                .init(waitFor: "nexus> ", type: "/route\r"),
                .init(waitFor: "simple_query", type: ""), .init(waitFor: "nexus> ", type: "/quit\r"),
            ])
        #expect(r.sawMarker, "a fresh prompt after Ctrl-C, and /route ran alone: \(r.output.suffix(600))")
        #expect(!r.output.contains("unknown command"), "\(r.output.suffix(600))")
        #expect(r.status == 0)
    }
}
