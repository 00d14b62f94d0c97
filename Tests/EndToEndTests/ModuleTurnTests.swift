import NexusCore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Chat turns whose tools live in real module processes (MCP over stdio).
@Suite(.serialized) struct ModuleTurnEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-mod")

    func env(_ server: FakeProviderServer, home: String, config extra: String = "") -> [String: String] {
        let config = dir.write(
            "nexus.toml",
            """
            [providers.fake]
            kind = "openai"
            base_url = "\(server.baseURL(for: .openai))"
            [routing]
            simple_query = "fake:fake-model"
            \(extra)
            """)
        return ["NEXUS_HOME": dir.path + "/" + home, "NEXUS_CONFIG": config, "NO_COLOR": "1"]
    }

    @Test func builtinClockModuleAnswersAToolCallThroughARealProcess() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            .toolCall(name: "clock__now", arguments: #"{"timezone":"Europe/Paris"}"#),
            .text("It is late in Paris."))
        let r = NexusBinary.run(["-p", "what time is it in Paris?"], env: env(server, home: "h1"))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "It is late in Paris.\n")
        let followUp = server.chatRequests.last?.body ?? ""
        #expect(followUp.contains("utc_offset"), "the tool result reached the model: \(followUp.suffix(600))")
        #expect(server.violations.isEmpty)
        let list = NexusBinary.run(["modules", "list"], env: env(server, home: "h1"))
        #expect(list.stdout.contains("clock"))
        let row = list.stdout.split(separator: "\n").first { $0.hasPrefix("clock") } ?? ""
        #expect(row.contains("healthy"), "after a good call the clock is healthy: \(row)")
    }

    /// A module with one sensitive tool, `wipe`, that a person must approve each time.
    func writeGuardedModule() -> String {
        let folder = ModuleFixture.folder(
            in: dir, name: "guarded",
            manifest:
                ModuleFixture.manifest(
                    name: "guarded", displayName: "Guarded", description: "One tool that needs approval.",
                    className: "Guarded", sensitiveTools: #"["wipe"]"#),
            adapter:
                """
                from nexus_adapter import BaseAdapter, register_adapter, serve, tool


                @register_adapter
                class Guarded(BaseAdapter[dict]):
                    name = "guarded"

                    @tool
                    def wipe(self) -> str:
                        \"\"\"Pretends to wipe something.\"\"\"
                        return "wiped"


                if __name__ == "__main__":
                    serve(Guarded)
                """)
        return folder
    }

    @Test(arguments: [("no", Int32(3), "approval_denied"), ("yes", Int32(0), "ok")])
    func jsonScriptsSeeEachApprovalAndItsAnswer(answer: String, status: Int32, outcome: String) throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "approvals-\(answer)")
        let install = NexusBinary.run(["modules", "install", writeGuardedModule(), "--yes"], env: e)
        try #require(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        server.enqueue(.toolCall(name: "guarded__wipe", arguments: "{}"), .text("done"))
        let r = NexusBinary.run(["-p", "wipe it", "--json", "--approve", answer], env: e)
        #expect(r.status == status, "stderr: \(r.stderr)")
        let events = r.stdout.split(separator: "\n").compactMap { try? JSONValue(parsing: Array($0.utf8)) }
        let types = events.compactMap { $0["type"]?.stringValue }
        let asked = events.first { $0["type"]?.stringValue == "approval_required" }
        let answered = events.first { $0["type"]?.stringValue == "approval" }
        #expect(asked != nil, "types: \(types)")
        #expect(answered?["decision"]?.stringValue == answer)
        #expect(answered?["id"] == asked?["id"])
        #expect(types.firstIndex(of: "approval_required")! < types.firstIndex(of: "tool_result")!)
        #expect(events.last?["type"]?.stringValue == "turn_finished")
        #expect(events.last?["outcome"]?.stringValue == outcome)
        #expect(events.allSatisfy { $0["t_ms"]?.doubleValue != nil }, "every event carries its monotonic time")
        // The turn's own events are published in order; module events (turn 0) come from other tasks.
        let times = events.filter { $0["turn"]?.intValue != 0 }.compactMap { $0["t_ms"]?.doubleValue }
        #expect(times == times.sorted())
    }

    @Test func aToolsHugeDescriptionAndResultAreCutBeforeTheyReachTheModel() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "bulky")
        let folder = ModuleFixture.folder(
            in: dir, name: "bulky",
            manifest:
                ModuleFixture.manifest(
                    name: "bulky", displayName: "Bulky", description: "Says far too much.", className: "Bulky"),
            adapter:
                """
                from nexus_adapter import BaseAdapter, register_adapter, serve, tool


                @register_adapter
                class Bulky(BaseAdapter[dict]):
                    name = "bulky"

                    @tool(description="d" * 50000)
                    def dump(self) -> str:
                        return "x" * 3000000


                if __name__ == "__main__":
                    serve(Bulky)
                """)
        let install = NexusBinary.run(["modules", "install", folder, "--yes"], env: e)
        try #require(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        server.enqueue(.toolCall(name: "bulky__dump", arguments: "{}"), .text("ok"))
        let r = NexusBinary.run(["-p", "dump it"], env: e)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let first = server.chatRequests.first?.body ?? ""
        let last = server.chatRequests.last?.body ?? ""
        #expect(
            first.contains("[nexus: tool description cut to 2000 characters; "), "first request: \(first.prefix(300))")
        #expect(last.contains("[nexus: tool output cut to 100000 characters; 2900000 more left out]"))
        #expect(last.utf8.count < 200_000, "the follow-up request carried \(last.utf8.count) bytes")
    }

    @Test func unknownToolIsReportedToTheModelNotACrash() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.toolCall(name: "nope__missing", arguments: "{}"), .text("sorry"))
        let r = NexusBinary.run(["-p", "do the thing"], env: env(server, home: "h2"))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(server.chatRequests.last?.body.contains("unknown tool") == true)
    }

    @Test func moduleFloodingListChangedDuringACallEndsAtTheCallTimeoutAndTheTurnFinishes() throws {
        try #require(NexusBinary.exists)
        let folder = dir.path + "/flood-src"
        mkdir(folder, 0o755)
        dir.write(
            "flood-src/manifest.json",
            ModuleFixture.manifest(
                name: "flood", displayName: "Flood", description: "Floods list_changed.", className: "Flood"))
        dir.write(
            "flood-src/adapter.py",
            """
            import json, sys
            note = '{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}\\n' * 100
            for line in sys.stdin:
                msg = json.loads(line)
                rid, method = msg.get("id"), msg.get("method")
                if rid is None:
                    continue
                if method == "initialize":
                    result = {"protocolVersion": msg["params"]["protocolVersion"], "capabilities": {"tools": {}},
                              "serverInfo": {"name": "flood"}}
                elif method == "tools/list":
                    result = {"tools": [{"name": "go", "description": "Never answers.", "inputSchema": {"type": "object"}}]}
                elif method == "tools/call":
                    while True:
                        sys.stdout.write(note)
                else:
                    result = {}
                sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": rid, "result": result}) + "\\n")
                sys.stdout.flush()
            """)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "flood", config: "[modules]\ncall_timeout_seconds = 1")
        let install = NexusBinary.run(["modules", "install", folder, "--yes"], env: e)
        try #require(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        server.enqueue(.toolCall(name: "flood__go", arguments: "{}"), .text("The module did not answer."))
        let r = NexusBinary.run(["-p", "go"], env: e, timeout: 30)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "The module did not answer.\n")
        let followUp = server.chatRequests.last?.body ?? ""
        #expect(
            followUp.contains("no answer to tools/call within 1 s"),
            "the model got a tool error: \(followUp.suffix(600))")
    }

    @Test func installedMCPServerFromPyPIServesATurn() throws {
        try #require(NexusBinary.exists)
        // setup.sh --test installs it into a system-Python venv the sandbox can mount.
        let python = NexusBinary.packageRoot + "/.build/test-venv/bin/python3"
        guard
            Subprocess.run([python, "-c", "import mcp_server_time"], environment: ["PATH": "/usr/bin:/bin"]).status == 0
        else {
            print("skipped: mcp-server-time is not installed in .build/test-venv (scripts/setup.sh --test)")
            return
        }
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "h3")
        let install = NexusBinary.run(
            ["modules", "install", "mcp", "--name", "time", "--yes", "--", python, "-m", "mcp_server_time"], env: e)
        #expect(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        server.enqueue(
            .toolCall(name: "time__get_current_time", arguments: #"{"timezone":"Asia/Tokyo"}"#),
            .text("Done."))
        let r = NexusBinary.run(["-p", "time in Tokyo?"], env: e)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let followUp = server.chatRequests.last?.body ?? ""
        #expect(followUp.contains("is_dst"), "the real server's answer reached the model: \(followUp.suffix(600))")
        let list = NexusBinary.run(["modules", "list"], env: e)
        let row = list.stdout.split(separator: "\n").first { $0.hasPrefix("time") } ?? ""
        #expect(row.contains("healthy"), "row: \(row)")
    }
}
