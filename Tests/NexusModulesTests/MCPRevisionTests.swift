import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// MCP 2025-11-25 (tool names, outputSchema, resource_link, isError) and 2026-07-28 (server/discover with
/// the initialize fallback, input_required, traceparent), against servers built on the real `mcp` package
/// from PyPI, 1.x and 2.x (`scripts/setup.sh --test` makes `.build/mcp1-venv` and `.build/mcp2-venv`).
@Suite struct MCPRevisionTests {
    static let root: String = {
        var root = #filePath
        for _ in 0..<3 { root = String(root[..<(root.lastIndex(of: "/") ?? root.startIndex)]) }
        return root
    }()

    /// The venv's python when `mcp` of that major version imports there; nil (and a note) when not.
    static func python(mcp major: Int) -> String? {
        let python = root + "/.build/mcp\(major)-venv/bin/python3"
        guard access(python, X_OK) == 0 else {
            print("skipped: .build/mcp\(major)-venv is missing (scripts/setup.sh --test installs mcp \(major).x there)")
            return nil
        }
        return python
    }

    static func connect(_ python: String, _ script: String, module: String, limits: MCPLimits = slowStart)
        async throws -> MCPClient
    {
        let spec = LaunchSpec(
            module: module, command: [python, Fixtures.directory + "/" + script], workingDirectory: "/tmp",
            environment: [:], networkAllow: [])
        return try await MCPClient.connect(
            module: module, process: try DirectLauncher().launch(spec), log: ModuleLog(path: nil), limits: limits)
    }

    /// A Python SDK server takes seconds to import on a loaded machine.
    static let slowStart = MCPLimits(handshakeTimeout: 60, requestTimeout: 60)

    @Test(arguments: [1, 2])
    func sdkServerResultsAreCheckedAsMCP20251125Says(mcp major: Int) async throws {
        guard let python = Self.python(mcp: major) else { return }
        let client = try await Self.connect(python, "sdk_fixture.py", module: "sdk\(major)")
        defer { client.close() }
        #expect(client.protocolVersion == (major == 1 ? "2025-11-25" : "2026-07-28"))
        #expect(client.isModern == (major == 2))
        let names = try await client.listTools().map(\.name)
        #expect(names.contains("weather") && names.contains("link") && names.contains("fail"))
        #expect(!names.contains("bad name!"), "an invalid tool name is never offered")
        #expect(client.skippedTools.map(\.name) == ["bad name!"])

        let weather = try await client.callTool(name: "weather", arguments: ["city": "Oslo"])
        #expect(!weather.isError, "\(weather.text)")
        #expect(weather.structured?["temperature"]?.doubleValue == 21.5)

        let lying = try await client.callTool(name: "lying_weather", arguments: [:])
        #expect(lying.isError)
        #expect(
            lying.text.contains("does not match its outputSchema: $.temperature: expected number, found string \"21\""),
            "\(lying.text)")

        let link = try await client.callTool(name: "link", arguments: ["name": "a.txt"])
        #expect(!link.isError)
        #expect(link.text == "[resource link: a.txt <file:///srv/a.txt> text/plain]", "\(link.text)")

        let fail = try await client.callTool(name: "fail", arguments: ["reason": "a test"])
        #expect(fail.isError)
        #expect(fail.text.contains("Error executing tool fail"), "\(fail.text)")
    }

    @Test func mcp2InputRequiredIsDescribedAndStateOnlyRoundsAreRetried() async throws {
        guard let python = Self.python(mcp: 2) else { return }
        let client = try await Self.connect(python, "sdk_fixture.py", module: "mrtr")
        defer { client.close() }
        let start = MonotonicClock.nanoseconds()
        let confirm = try await client.callTool(name: "confirm", arguments: [:])
        #expect(confirm.isError)
        #expect(confirm.text.contains("tool confirm needs input that nexus cannot provide yet"), "\(confirm.text)")
        #expect(
            confirm.text.contains(
                "confirm_delete: asks the user: Please confirm the deletion of /srv/data (fields: ok)"))
        let stateful = try await client.callTool(name: "stateful", arguments: [:])
        #expect(!stateful.isError, "\(stateful.text)")
        #expect(stateful.text == "done after state round-1")
        #expect(MonotonicClock.millisSince(start) < 20_000, "no hang")
    }

    @Test func invalidToolNameIsNeverOfferedToTheModelAndTheLogNamesModuleAndTool() async throws {
        guard let python = Self.python(mcp: 1) else { return }
        let f = try HostFixture(options: { $0.limits = Self.slowStart })
        defer { Task { await f.close() } }
        let plan = try f.installer.prepare(
            .mcpCommand(
                name: "sdk", command: [python, Fixtures.directory + "/sdk_fixture.py"], category: "mcp",
                version: "1.0.0",
                networkAllow: [], credentialEnvs: []))
        _ = try await f.installer.install(plan, approval: FixedApprovals(.yes))
        let names = await f.host.toolDefinitions().map(\.name)
        #expect(names.contains("sdk__weather"), "\(names)")
        #expect(!names.contains { $0.hasPrefix("sdk__bad") }, "\(names)")
        let log = String(decoding: (try? ModuleFiles.read(f.dir.path + "/logs/modules/sdk.log")) ?? [], as: UTF8.self)
        #expect(log.contains("module sdk: tool \"bad name!\" skipped, never offered to the model"), "\(log)")
        let r = await f.host.call(toolName: "sdk__link", arguments: ["name": "b"], approval: FixedApprovals(.yes))
        #expect(r.content == "[resource link: b <file:///srv/b> text/plain]" && !r.isError, "\(r.content)")
    }

    @Test func mcp1ServerCrashingUnderMcp2IsNamedInTheErrorAndTheRegistry() async throws {
        guard let p2 = Self.python(mcp: 2), let p1 = Self.python(mcp: 1) else { return }
        let under1 = try await Self.connect(p1, "lowlevel_v1_server.py", module: "old1")
        #expect(try await under1.callTool(name: "hello", arguments: [:]).text == "hello from mcp 1.x")
        under1.close()
        let e = await #expect(throws: MCPError.self) {
            try await Self.connect(p2, "lowlevel_v1_server.py", module: "old2")
        }
        let message = e?.userMessage ?? ""
        #expect(message.contains("this server is incompatible with mcp 2.x: install it with mcp<2"), "\(message)")
        #expect(e?.hint?.contains("mcp<2") == true)

        let f = try HostFixture(options: { $0.limits = Self.slowStart })
        defer { Task { await f.close() } }
        let plan = try f.installer.prepare(
            .mcpCommand(
                name: "old", command: [p2, Fixtures.directory + "/lowlevel_v1_server.py"], category: "mcp",
                version: "1.0.0", networkAllow: [], credentialEnvs: []))
        _ = try? await f.installer.install(plan, approval: FixedApprovals(.yes))
        _ = await f.host.call(toolName: "old__hello", arguments: [:], approval: FixedApprovals(.yes))
        let last = try f.registry.get("old")?.lastError ?? ""
        #expect(last.contains(MCPCompatibility.mcp2Sentence), "\(last)")
    }
}

/// The cost of the `server/discover` probe on a real published server: mcp-server-time (from
/// `.build/test-venv`, `scripts/setup.sh --test`), connected with the probe off (initialize only, the
/// behaviour before 2026-07-28 support) and on. Prints both medians; docs/mcp-compatibility.md records them.
@Suite(.serialized) struct MCPHandshakeLatencyTests {
    @Test func discoverProbeAddsNoMoreThanAShortDelayToMcpServerTime() async throws {
        let python = MCPRevisionTests.root + "/.build/test-venv/bin/python3"
        guard access(python, X_OK) == 0 else {
            print("skipped: .build/test-venv is missing (scripts/setup.sh --test installs mcp-server-time there)")
            return
        }
        func connect(probe: Bool) async throws -> (ms: Double, modern: Bool) {
            let spec = LaunchSpec(
                module: "time", command: [python, "-m", "mcp_server_time", "--local-timezone", "UTC"],
                workingDirectory: "/tmp", environment: [:], networkAllow: [])
            let start = MonotonicClock.nanoseconds()
            let limits = MCPLimits(handshakeTimeout: 60, discoverTimeout: probe ? 1 : 0)
            let client = try await MCPClient.connect(
                module: "time", process: try DirectLauncher().launch(spec), log: ModuleLog(path: nil), limits: limits)
            _ = try await client.listTools()
            let ms = MonotonicClock.millisSince(start)
            await client.closeAndWait()
            return (ms, client.isModern)
        }
        _ = try await connect(probe: false)  // warm the page cache: the first start reads every .py from disk
        var off: [Double] = []
        var on: [Double] = []
        var modern = (off: true, on: false)
        for i in 0..<6 {  // interleaved, so load on the machine falls on both alike
            let r = try await connect(probe: i % 2 == 1)
            if i % 2 == 1 {
                on.append(r.ms)
                modern.on = r.modern
            } else {
                off.append(r.ms)
                modern.off = r.modern
            }
        }
        let before = (ms: off.sorted()[1], modern: modern.off)
        let after = (ms: on.sorted()[1], modern: modern.on)
        print(
            "mcp-server-time handshake + tools/list p50: initialize only \(Int(before.ms)) ms, "
                + "with the discover probe \(Int(after.ms)) ms (modern: \(after.modern))")
        #expect(!before.modern)
        #expect(after.ms - before.ms < 300, "the probe added \(Int(after.ms - before.ms)) ms")
    }
}
