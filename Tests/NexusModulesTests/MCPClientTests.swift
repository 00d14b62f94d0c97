import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct MCPClientTests {
    @Test func handshakeNegotiatesAndListsEveryPageOfTools() async throws {
        let client = try await Fixtures.connect("normal")
        defer { client.close() }
        #expect(client.protocolVersion == MCPClient.supportedProtocolVersions[0])
        #expect(client.serverName == "fixture")
        let tools = try await client.listTools()
        #expect(tools.map(\.name).contains("echo"))
        #expect(tools.count == 11)  // six pages of two (the last holds one)
        let r = try await client.callTool(name: "add", arguments: ["a": 2, "b": 40])
        #expect(r.text == "42")
        #expect(!r.isError)
        try await client.ping()
    }

    @Test func toolErrorsAndRPCErrorsAreReportedWithTheModuleName() async throws {
        let client = try await Fixtures.connect("normal")
        defer { client.close() }
        let r = try await client.callTool(name: "fail", arguments: [:])
        #expect(r.isError && r.text == "it failed")
        let e = await #expect(throws: MCPError.self) { try await client.callTool(name: "nope", arguments: [:]) }
        #expect(e?.userMessage == "module fixture: tools/call failed: unknown tool nope (JSON-RPC error -32602)")
    }

    @Test func garbageOnStdoutIsSkippedAndLogged() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = ModuleLog(path: dir.path + "/logs/garbage.log")
        let client = try await Fixtures.connect("garbage", log: log)
        defer { client.close() }
        let r = try await client.callTool(name: "echo", arguments: ["text": "still fine"])
        #expect(r.text == "still fine")
        #expect(client.skippedLines >= 4)
        let logText = String(decoding: try ModuleFiles.read(dir.path + "/logs/garbage.log"), as: UTF8.self)
        #expect(logText.contains("stdout: a line that is not JSON"))
        #expect(logText.contains("fixture: started in mode garbage"))  // stderr captured
    }

    @Test func exitDuringHandshakeSaysWhichModuleAndQuotesStderr() async throws {
        let e = await #expect(throws: MCPError.self) { try await Fixtures.connect("exit_handshake", module: "leaver") }
        guard case .exited(let module, let status, let during, _)? = e else {
            Issue.record("expected .exited, got \(String(describing: e))")
            return
        }
        #expect(module == "leaver")
        #expect(status == "exit status 7")
        #expect(during == "the handshake")
        // stderr is read on its own thread; its tail usually arrives before EOF on stdout.
        #expect(e?.userMessage.hasPrefix("module leaver: process ended (exit status 7) during the handshake") == true)
    }

    @Test func silentServerTimesOutAndTheProcessIsEnded() async throws {
        let spec = LaunchSpec(
            module: "mute", command: ["python3", Fixtures.server, "silent"], workingDirectory: "/tmp", environment: [:],
            networkAllow: [])
        let process = try DirectLauncher().launch(spec)
        let e = await #expect(throws: MCPError.self) {
            try await MCPClient.connect(
                module: "mute", process: process, log: ModuleLog(path: nil), limits: MCPLimits(handshakeTimeout: 0.3))
        }
        #expect(e == .timeout(module: "mute", method: "initialize", seconds: 0.3))
        #expect(process.waitForExit(ms: 5000))
    }

    @Test func newerProtocolVersionIsRefusedByName() async throws {
        let e = await #expect(throws: MCPError.self) { try await Fixtures.connect("newer", module: "future") }
        #expect(
            e?.userMessage.hasPrefix("module future: speaks MCP protocol version 2099-01-01; nexus supports") == true)
    }

    @Test func answersOutOfOrderReachTheirOwnCallers() async throws {
        let client = try await Fixtures.connect("reverse")
        defer { client.close() }
        async let a = client.callTool(name: "echo", arguments: ["text": "first"])
        try await Task.sleep(nanoseconds: 50_000_000)
        async let b = client.callTool(name: "echo", arguments: ["text": "second"])
        let (ra, rb) = try await (a, b)
        #expect(ra.text == "first")
        #expect(rb.text == "second")
    }

    @Test func fiftyMegabyteFrameClosesTheConnectionWithoutExhaustingMemory() async throws {
        let client = try await Fixtures.connect("normal", limits: MCPLimits(maxFrameBytes: 8 << 20), module: "flood")
        defer { client.close() }
        let e = await #expect(throws: MCPError.self) { try await client.callTool(name: "big", arguments: ["mb": 50]) }
        #expect(e == .frameTooLarge(module: "flood", limit: 8 << 20))
        #expect(client.isClosed)
    }

    @Test func callTimeoutLeavesTheConnectionUsable() async throws {
        let client = try await Fixtures.connect("normal")
        defer { client.close() }
        let e = await #expect(throws: MCPError.self) {
            try await client.callTool(name: "slow", arguments: ["seconds": 2], timeout: 0.2)
        }
        #expect(e == .timeout(module: "fixture", method: "tools/call", seconds: 0.2))
        let r = try await client.callTool(name: "echo", arguments: ["text": "after"])
        #expect(r.text == "after")
    }

    @Test func cancellingTheCallingTaskCancelsTheRequest() async throws {
        let client = try await Fixtures.connect("normal")
        defer { client.close() }
        let task = Task { try await client.callTool(name: "slow", arguments: ["seconds": 5]) }
        try await Task.sleep(nanoseconds: 100_000_000)
        let start = MonotonicClock.nanoseconds()
        task.cancel()
        let result = await task.result
        #expect(MonotonicClock.millisSince(start) < 4000, "cancellation must not wait for the 5 s tool")
        guard case .failure(let err) = result, let e = err as? MCPError else {
            Issue.record("expected a cancellation error")
            return
        }
        #expect(e == .cancelled(module: "fixture", method: "tools/call"))
    }

    @Test func crashMidCallFailsTheCallWithExitStatus() async throws {
        let client = try await Fixtures.connect("normal", module: "crasher")
        defer { client.close() }
        let e = await #expect(throws: MCPError.self) { try await client.callTool(name: "crash", arguments: [:]) }
        guard case .exited(_, let status, _, _)? = e else {
            Issue.record("expected .exited, got \(String(describing: e))")
            return
        }
        #expect(status == "exit status 3")
    }

    @Test func listChangedNotificationReachesTheHandler() async throws {
        let client = try await Fixtures.connect("normal")
        defer { client.close() }
        let (stream, cont) = AsyncStream<MCPNotice>.makeStream()
        client.setNoticeHandler { cont.yield($0) }
        _ = try await client.callTool(name: "touch_list", arguments: [:])
        var it = stream.makeAsyncIterator()
        #expect(await it.next() == .toolsListChanged)
    }

    @Test func childGetsOnlyTheMinimalEnvironmentPlusWhatTheSpecAdds() async throws {
        setenv("NEXUS_TEST_LEAK", "leaked", 1)
        let spec = LaunchSpec(
            module: "envcheck", command: ["python3", Fixtures.server, "normal"], workingDirectory: "/tmp",
            environment: ["MY_KEY": "s3cret"], networkAllow: [])
        let client = try await MCPClient.connect(
            module: "envcheck", process: try DirectLauncher().launch(spec), log: ModuleLog(path: nil))
        defer { client.close() }
        #expect(try await client.callTool(name: "env", arguments: ["name": "MY_KEY"]).text == "s3cret")
        #expect(try await client.callTool(name: "env", arguments: ["name": "NEXUS_TEST_LEAK"]).text == "<unset>")
        #expect(try await client.callTool(name: "env", arguments: ["name": "HOME"]).text == "/tmp")
    }

    @Test func missingProgramIsALaunchErrorNamingTheModule() {
        let spec = LaunchSpec(
            module: "ghost", command: ["no-such-program-xyz"], workingDirectory: "/tmp", environment: [:],
            networkAllow: [])
        let e = #expect(throws: LaunchError.self) { try DirectLauncher().launch(spec) }
        #expect(e?.userMessage == "module ghost: cannot start \"no-such-program-xyz\": program not found on PATH")
    }

    @Test func idleConnectedModuleUsesNoMeasurableCPU() async throws {
        let client = try await Fixtures.connect("normal")
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
}
