import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// The MCP client against hostile servers (the Python fixture's misbehaving modes). Its behaviour with a
/// well-behaved server is specified against the scripted fake in `FakeMCPClientTests`.
@Suite struct MCPClientTests {
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
        guard case .exited(let module, let status, let during, _, _)? = e else {
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

    @Test func missingProgramIsALaunchErrorNamingTheModule() {
        let spec = LaunchSpec(
            module: "ghost", command: ["no-such-program-xyz"], workingDirectory: "/tmp", environment: [:],
            networkAllow: [])
        let e = #expect(throws: LaunchError.self) { try DirectLauncher().launch(spec) }
        #expect(e?.userMessage == "module ghost: cannot start \"no-such-program-xyz\": program not found on PATH")
    }
}
