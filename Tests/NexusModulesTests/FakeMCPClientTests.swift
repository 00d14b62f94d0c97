import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// The MCP client against a well-behaved server: the scripted fake, both as the `nexus-fake-mcp` child
/// and in process behind the same pipes (`PassThroughLauncher`'s two modes). Hostile servers — garbage on
/// stdout, wrong versions, floods, probes that crash them — stay on the Python fixture (`MCPClientTests`),
/// which can misbehave in ways a conforming fake deliberately does not.
@Suite struct FakeMCPClientTests {
    static let script = FakeMCPScript(
        serverName: "fake-weather", pageSize: 2,
        tools: [
            FakeMCPTool(name: "echo", answer: .echo(argument: "text")),
            FakeMCPTool(name: "fail", answer: .toolError("it failed")),
            FakeMCPTool(name: "strict", answer: .rpcError(code: -32602, message: "city is required")),
            FakeMCPTool(name: "slow", answer: .text("slept"), delayMs: 5000),
            FakeMCPTool(name: "crash", answer: .crash(status: 3)),
            FakeMCPTool(name: "touch_list", answer: .text("announced"), thenReveal: ["later"]),
            FakeMCPTool(name: "later", answer: .text("now listed"), hidden: true),
            FakeMCPTool(name: "my_key", answer: .environment("MY_KEY")),
            FakeMCPTool(name: "leak", answer: .environment("NEXUS_TEST_LEAK")),
            FakeMCPTool(name: "home", answer: .environment("HOME")),
        ])

    static func connect(
        _ mode: PassThroughLauncher.Mode, module: String = "fake", limits: MCPLimits = MCPLimits(),
        environment: [String: String] = [:]
    ) async throws -> MCPClient {
        try #require(BuiltProducts.isBuilt(BuiltProducts.fakeMCP), "build nexus-fake-mcp first (swift build)")
        let spec = LaunchSpec(
            module: module, command: [BuiltProducts.fakeMCP, "--script-json", script.json.serialized],
            workingDirectory: "/tmp", environment: environment, networkAllow: [])
        let process = try PassThroughLauncher(mode: mode).launch(spec)
        return try await MCPClient.connect(module: module, process: process, log: ModuleLog(path: nil), limits: limits)
    }

    static let modes: [PassThroughLauncher.Mode] = [.subprocess, .inProcess]

    @Test(arguments: modes)
    func handshakeNegotiatesAndListsEveryPageOfTools(mode: PassThroughLauncher.Mode) async throws {
        let client = try await Self.connect(mode)
        defer { client.close() }
        #expect(client.protocolVersion == MCPClient.supportedProtocolVersions[0])
        #expect(client.serverName == "fake-weather")
        let tools = try await client.listTools()
        #expect(
            tools.map(\.name) == ["echo", "fail", "strict", "slow", "crash", "touch_list", "my_key", "leak", "home"])
        let r = try await client.callTool(name: "echo", arguments: ["text": "42"])
        #expect(r.text == "42" && !r.isError)
        try await client.ping()
    }

    @Test(arguments: modes)
    func toolErrorsAndRPCErrorsAreReportedWithTheModuleName(mode: PassThroughLauncher.Mode) async throws {
        let client = try await Self.connect(mode)
        defer { client.close() }
        let r = try await client.callTool(name: "fail", arguments: [:])
        #expect(r.isError && r.text == "it failed")
        let e = await #expect(throws: MCPError.self) { try await client.callTool(name: "nope", arguments: [:]) }
        #expect(e?.userMessage == "module fake: tools/call failed: unknown tool nope (JSON-RPC error -32602)")
        let strict = await #expect(throws: MCPError.self) { try await client.callTool(name: "strict", arguments: [:]) }
        #expect(strict?.userMessage == "module fake: tools/call failed: city is required (JSON-RPC error -32602)")
    }

    @Test(arguments: modes)
    func callTimeoutLeavesTheConnectionUsable(mode: PassThroughLauncher.Mode) async throws {
        let client = try await Self.connect(mode)
        defer { client.close() }
        let e = await #expect(throws: MCPError.self) {
            try await client.callTool(name: "slow", arguments: [:], timeout: 0.2)
        }
        #expect(e == .timeout(module: "fake", method: "tools/call", seconds: 0.2))
        #expect(try await client.callTool(name: "echo", arguments: ["text": "after"]).text == "after")
    }

    @Test(arguments: modes)
    func cancellingTheCallingTaskCancelsTheRequest(mode: PassThroughLauncher.Mode) async throws {
        let client = try await Self.connect(mode)
        defer { client.close() }
        let task = Task { try await client.callTool(name: "slow", arguments: [:]) }
        try await Task.sleep(nanoseconds: 100_000_000)
        let start = MonotonicClock.nanoseconds()
        task.cancel()
        let result = await task.result
        #expect(MonotonicClock.millisSince(start) < 4000, "cancellation must not wait for the 5 s tool")
        guard case .failure(let err) = result, let e = err as? MCPError else {
            Issue.record("expected a cancellation error")
            return
        }
        #expect(e == .cancelled(module: "fake", method: "tools/call"))
    }

    @Test(arguments: modes)
    func crashMidCallFailsTheCallWithExitStatus(mode: PassThroughLauncher.Mode) async throws {
        let client = try await Self.connect(mode, module: "crasher")
        defer { client.close() }
        let e = await #expect(throws: MCPError.self) { try await client.callTool(name: "crash", arguments: [:]) }
        guard case .exited(let module, let status, _, _, _)? = e else {
            Issue.record("expected .exited, got \(String(describing: e))")
            return
        }
        #expect(module == "crasher" && status == "exit status 3")
    }

    @Test(arguments: modes)
    func listChangedNotificationReachesTheHandlerAndTheNewToolIsListed(mode: PassThroughLauncher.Mode) async throws {
        let client = try await Self.connect(mode)
        defer { client.close() }
        let (stream, cont) = AsyncStream<MCPNotice>.makeStream()
        client.setNoticeHandler { cont.yield($0) }
        #expect(try await !client.listTools().map(\.name).contains("later"))
        _ = try await client.callTool(name: "touch_list", arguments: [:])
        var it = stream.makeAsyncIterator()
        #expect(await it.next() == .toolsListChanged)
        #expect(try await client.listTools().map(\.name).contains("later"))
    }

    @Test func childGetsOnlyTheMinimalEnvironmentPlusWhatTheSpecAdds() async throws {
        setenv("NEXUS_TEST_LEAK", "leaked", 1)
        let client = try await Self.connect(.subprocess, module: "envcheck", environment: ["MY_KEY": "s3cret"])
        defer { client.close() }
        #expect(try await client.callTool(name: "my_key", arguments: [:]).text == "s3cret")
        #expect(try await client.callTool(name: "leak", arguments: [:]).text == "<unset>")
        #expect(try await client.callTool(name: "home", arguments: [:]).text == "/tmp")
    }

    @Test(arguments: modes)
    func idleConnectedModuleUsesNoMeasurableCPU(mode: PassThroughLauncher.Mode) async throws {
        let client = try await Self.connect(mode)
        defer { client.close() }
        _ = try await client.listTools()
        // Only this client's reader threads count: other tests in this process may be busy meanwhile.
        let threads = "mcp-\(client.process.pid)-"
        let before = Fixtures.cpuSeconds(threadsNamed: threads)
        #expect(before.threads >= 2, "the client's stdout and stderr readers are found, so the sum means something")
        try await Task.sleep(nanoseconds: 1_000_000_000)
        let after = Fixtures.cpuSeconds(threadsNamed: threads)
        // A 10 ms poller burns ~20 ms/s; blocked reader threads burn none (clock ticks are 10 ms).
        #expect(after.seconds - before.seconds < 0.05)
    }

    @Test func theInProcessServerRemembersWhatItWasAsked() async throws {
        let launcher = PassThroughLauncher(mode: .inProcess)
        let spec = LaunchSpec(
            module: "fake", command: ["nexus-fake-mcp", "--script-json", Self.script.json.serialized],
            workingDirectory: "/tmp", environment: ["MY_KEY": "k"], networkAllow: [])
        let client = try await MCPClient.connect(
            module: "fake", process: try launcher.launch(spec), log: ModuleLog(path: nil))
        defer { client.close() }
        _ = try await client.callTool(name: "echo", arguments: ["text": "hi"])
        let server = try #require(launcher.server(for: "fake"))
        #expect(server.calls.map(\.name) == ["echo"])
        #expect(server.calls.first?.arguments == ["text": "hi"])
        #expect(server.received.first?.method == "server/discover", "the modern probe comes first, and is refused")
        #expect(launcher.launches == [spec])
    }

    @Test func aScriptReadsBackWhatItWritesAndABadOneNamesTheToolAndTheKey() throws {
        #expect(try FakeMCPScript(json: Self.script.json.serialized) == Self.script)
        let e = #expect(throws: NexusError.self) {
            try FakeMCPScript(
                json: #"{"tools": [{"name": "ok", "answer": {"text": "x"}}, {"name": "bad", "answer": {}}]}"#)
        }
        #expect(e?.userMessage.contains("tools[1] answer needs one of text, echo") == true, "\(String(describing: e))")
    }

    @Test func theExecutableRefusesABadScriptWithStatusTwo() throws {
        try #require(BuiltProducts.isBuilt(BuiltProducts.fakeMCP), "build nexus-fake-mcp first (swift build)")
        let r = Subprocess.run([BuiltProducts.fakeMCP, "--script", "/nonexistent/script.json"], environment: [:])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("nexus-fake-mcp: cannot read script /nonexistent/script.json"), "\(r.stderr)")
    }
}

extension PassThroughLauncher.Mode: CustomStringConvertible {
    public var description: String { self == .inProcess ? "in process" : "subprocess" }
}
