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
}
