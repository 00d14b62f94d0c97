import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// The module host's lifecycle. Modules that only need to behave well run as `nexus-fake-mcp`
/// (`HostFixture.installFake`); those that need a whole-server hang, a VERSION file beside the code, or
/// a tampered adapter run on the Python fixture.
@Suite struct ModuleHostTests {
    @Test func installedModuleStartsOnFirstUseAndItsToolsAreNamespaced() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("fix")
        #expect(await f.host.isRunning("fix") == false)
        let defs = await f.host.toolDefinitions()
        #expect(defs.map(\.name).contains("fix__echo"))
        #expect(defs.first { $0.name == "fix__add" }?.inputSchema["properties"]?["a"] != nil)
        let r = await f.text("fix", "add", ["a": 2, "b": 40])
        #expect(r.content == "42" && !r.isError)
        #expect(try f.registry.get("fix")?.calls == 1)
        #expect(try f.registry.get("fix")?.tools?.count == 11)
    }

    @Test func catalogueComesFromTheRegistryWithoutStartingProcesses() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("cached")
        _ = try await f.host.start("cached")  // caches tools/list
        let fresh = ModuleHost(registry: f.registry, bus: EventBus(), options: f.host.options)
        let defs = await fresh.toolDefinitions()
        #expect(defs.contains { $0.name == "cached__whoami" })
        #expect(await fresh.isRunning("cached") == false)
    }

    @Test func unknownToolIsAnErrorResultNotACrash() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let r = await f.host.call(toolName: "nothing__here", arguments: [:], approval: FixedApprovals(.yes))
        #expect(r.isError && r.content.hasPrefix("no module tool named nothing__here"))
    }

    @Test func crashedModuleRestartsOnNextCallAfterBackoff() async throws {
        let f = try HostFixture { $0.restartBackoffBase = 0.2 }
        defer { Task { await f.close() } }
        try await f.installFake("crashy")
        let events = EventLog(f.bus)
        let r1 = await f.text("crashy", "crash")
        #expect(r1.isError && r1.content.contains("module crashy: process ended (exit status 3)"))
        let r2 = await f.text("crashy", "echo", ["text": "back"])
        #expect(r2.content == "back")
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(events.states.contains { $0 == ("crashy", "serving") })
    }

    @Test func breakerOpensAfterConsecutiveFailuresAndAProbeClosesIt() async throws {
        let f = try HostFixture {
            $0.callTimeoutSeconds = 0.15
            $0.breaker = CircuitBreaker.Policy(openAfterConsecutive: 3, coolDown: 2)
        }
        defer { Task { await f.close() } }
        try await f.install("flaky")
        let events = EventLog(f.bus)
        for _ in 0..<3 { _ = await f.text("flaky", "slow", ["seconds": 1]) }
        let rejected = await f.text("flaky", "echo", ["text": "x"])
        #expect(rejected.isError && rejected.content.contains("module flaky: failing, calls paused"))
        try await Task.sleep(nanoseconds: 2_100_000_000)
        let probe = await f.text("flaky", "echo", ["text": "probe"])
        #expect(probe.content == "probe")
        try await Task.sleep(nanoseconds: 100_000_000)
        let seen = events.health.filter { $0.0 == "flaky" }.map(\.1)
        #expect(seen == [.healthy, .degraded, .failing, .degraded, .healthy])  // health check, then the breaker
        #expect(try f.registry.get("flaky")?.health == .healthy)
    }

    @Test func moduleStuckAfterATimeoutIsRestartedOnNextCall() async throws {
        let f = try HostFixture { $0.callTimeoutSeconds = 0.3 }
        defer { Task { await f.close() } }
        try await f.install("stuck")
        let r = await f.text("stuck", "hang")
        #expect(r.isError && r.content.contains("module stuck: no answer to tools/call within 300 ms"))
        let pid = await f.host.processID("stuck")
        for _ in 0..<300 where await f.host.isRunning("stuck") { try await Task.sleep(nanoseconds: 100_000_000) }
        #expect(await f.host.isRunning("stuck") == false)
        #expect(await f.text("stuck", "echo", ["text": "fresh"]).content == "fresh")
        #expect(await f.host.processID("stuck") != pid)
    }

    @Test func rateLimitPerMinuteIsEnforced() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.installFake("limited", rateLimitPerMinute: 2)
        #expect(await f.text("limited", "echo", ["text": "1"]).content == "1")
        #expect(await f.text("limited", "echo", ["text": "2"]).content == "2")
        let third = await f.text("limited", "echo", ["text": "3"])
        #expect(third.isError && third.content.contains("over its rate limit of 2 calls per minute"))
    }

    @Test func sensitiveToolsAskOnEveryCall() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.installFake("careful", sensitiveTools: ["delete_*"])
        let no = FixedApprovals(.no)
        let r = await f.host.call(toolName: "careful__delete_file", arguments: [:], approval: no)
        #expect(r.isError && r.content.contains("was not approved"))
        #expect(no.requests.first?.kind == .sensitiveTool)
        let yes = FixedApprovals(.yes)
        _ = await f.host.call(toolName: "careful__delete_file", arguments: [:], approval: yes)
        _ = await f.host.call(toolName: "careful__delete_file", arguments: [:], approval: yes)
        _ = await f.host.call(toolName: "careful__echo", arguments: ["text": "a"], approval: yes)
        #expect(yes.requests.count == 2)
    }

    @Test func idleModuleIsStopped() async throws {
        let f = try HostFixture { $0.idleShutdownSeconds = 0.3 }
        defer { Task { await f.close() } }
        try await f.installFake("sleepy")
        _ = await f.text("sleepy", "echo", ["text": "hi"])
        let pid = await f.host.processID("sleepy")
        #expect(pid != nil)
        // Idle shutdown after 0.3 s; allow a loaded machine up to 5 s to get round to it.
        var running = true
        for _ in 0..<300 where running {
            try await Task.sleep(nanoseconds: 100_000_000)
            running = await f.host.isRunning("sleepy")
        }
        #expect(running == false)
        if let pid {
            // The process is gone (reaped, not a zombie) within a few seconds even on a loaded machine.
            for _ in 0..<300 where kill(pid, 0) == 0 { try await Task.sleep(nanoseconds: 100_000_000) }
            #expect(kill(pid, 0) != 0)
        }
    }

    @Test func hotReloadSwapsFilesWithoutDroppingAnInFlightCall() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("hot", version: "1.0.0")
        #expect(await f.text("hot", "whoami").content == "1.0.0")
        let inflight = Task { await f.text("hot", "slow", ["seconds": 0.8]) }
        try await Task.sleep(nanoseconds: 200_000_000)
        try await f.install("hot", version: "2.0.0")
        try await f.host.reload("hot")
        #expect(await f.text("hot", "whoami").content == "2.0.0")
        let slow = await inflight.value
        #expect(slow.content == "slept" && !slow.isError)
    }

    @Test func changedBytesNeedANewApproval() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let rec = try await f.install("pinned")
        f.dir.write(String(rec.path.dropFirst(f.dir.path.count + 1)) + "/adapter.py", "print('tampered')\n")
        let r = await f.text("pinned", "echo", ["text": "x"])
        #expect(r.isError && r.content.contains("module pinned: files in"))
        #expect(r.content.contains("changed since they were approved"))
    }

    @Test func disabledModuleLeavesTheCatalogueAndEnableBringsItBack() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.installFake("toggle")
        #expect(await f.text("toggle", "echo", ["text": "on"]).content == "on")
        try await f.host.disable("toggle")
        #expect(await f.host.toolDefinitions().contains { $0.name.hasPrefix("toggle__") } == false)
        #expect(await f.host.isRunning("toggle") == false)
        try await f.host.enable("toggle")
        #expect(await f.text("toggle", "echo", ["text": "again"]).content == "again")
    }

    @Test func statusRowsReportCallsErrorRateAndLatency() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.installFake("stats")
        _ = await f.text("stats", "echo", ["text": "1"])
        _ = await f.text("stats", "nope")
        let row = await f.host.statusRows().first { $0.name == "stats" }
        #expect(row?.calls == 2)
        #expect(row?.errorRate == 0.5)
        #expect(row?.p50Ms != nil)
        #expect(row?.lastError?.contains("unknown tool nope") == true)
    }

    @Test func builtinModulesAreDiscoveredAndDuplicateNamesReported() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let root = f.dir.path + "/builtins"
        for (cat, sub) in [("system", "a"), ("other", "b")] {
            let src = Fixtures.moduleFolder(
                in: f.dir, name: "clock", category: cat, version: sub == "a" ? "1.0.0" : "1.0.1")
            try ModuleFiles.copyTree(src, to: root + "/\(cat)/clock")
        }
        let host = ModuleHost(
            registry: f.registry, bus: f.bus,
            options: .init(modulesDirectory: f.dir.path + "/modules", builtinDirectory: root))
        defer { Task { await host.shutdownAll() } }
        let r = await host.call(toolName: "clock__echo", arguments: ["text": "tick"], approval: FixedApprovals(.yes))
        #expect(r.content == "tick")
        #expect(await host.discoveryProblems.count == 1)
        #expect(await host.discoveryProblems.first?.contains("module name clock is already used") == true)
        #expect(try f.registry.get("clock")?.source == "builtin")
    }

    @Test func aModuleWaitingForItsCredentialIsNeverShownHealthy() async throws {
        let f = try HostFixture(credentials: { module, wanted in
            throw CredentialNotStored(module: module, name: wanted.first?.name ?? "api_key")
        })
        defer { Task { await f.close() } }
        try await f.installFake("keyed", credentials: [.init(name: "api_key", env: "KEYED_API_KEY")])
        #expect(await f.host.statusRows().first { $0.name == "keyed" }?.health == .unknown)
        // The catalogue tries to start it to learn its tools; the start fails for want of the credential.
        _ = await f.host.toolDefinitions()
        let row = await f.host.statusRows().first { $0.name == "keyed" }
        #expect(row?.health == .unknown)
        #expect(row?.running == false)
        #expect(row?.lastError?.contains("api_key") == true)
    }

    @Test func credentialsFromTheProviderReachOnlyTheModuleEnvironment() async throws {
        let f = try HostFixture(credentials: { module, wanted in
            Dictionary(uniqueKeysWithValues: wanted.map { ($0.env, "secret-for-\(module)") })
        })
        defer { Task { await f.close() } }
        try await f.installFake("keyed", credentials: [.init(name: "api_key", env: "KEYED_API_KEY")])
        #expect(await f.text("keyed", "env").content == "secret-for-keyed")
    }
}

/// What the vault throws for a declared credential that is not stored, as the host sees it.
private struct CredentialNotStored: MissingCredentialError {
    let module: String
    let name: String
    var missingCredential: (module: String, name: String)? { (module, name) }
    var userMessage: String { "module \(module): credential \"\(name)\" is not in the vault" }
    var hint: String? { "nexus creds set \(module) \(name)" }
}
