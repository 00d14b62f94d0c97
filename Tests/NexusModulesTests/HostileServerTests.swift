import NexusCore
import NexusPOSIX
import NexusTesting
import Synchronization
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// Servers that misbehave on purpose: floods, closed pipes, answers nexus cannot use, repeated names.
/// Each one must cost nexus bounded memory and disk and end in an error that says what happened.
@Suite struct HostileServerTests {
    @Test func listChangedBurstReachesTheHandlerOnceUntilItIsTaken() async throws {
        let client = try await Fixtures.connect("flood")
        defer { client.close() }
        let count = Atomic<Int>(0)
        client.setNoticeHandler { if $0 == .toolsListChanged { count.add(1, ordering: .relaxed) } }
        let r = try await client.callTool(name: "echo", arguments: ["text": "after", "count": 100_000])
        #expect(r.text == "after")
        #expect(count.load(ordering: .relaxed) == 1, "100,000 notifications coalesce into one re-list")
        #expect(client.takeListChanged())
        #expect(!client.takeListChanged())
    }

    @Test func listChangedFloodDuringACallEndsAtTheCallTimeoutWithAtMostOneRelist() async throws {
        let f = try HostFixture { $0.callTimeoutSeconds = 1 }
        defer { Task { await f.close() } }
        try await f.install("flood", mode: "flood")
        try await f.host.start("flood")
        let sampling = Task {
            var most = 0
            while !Task.isCancelled {
                most = max(most, await f.host.pendingRequests("flood"))
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
            return most
        }
        let start = MonotonicClock.nanoseconds()
        let r = await f.text("flood", "echo", ["text": "never", "count": 0])
        let elapsed = MonotonicClock.millisSince(start)
        sampling.cancel()
        #expect(r.isError && r.content.contains("module flood: no answer to tools/call within 1 s"), "\(r.content)")
        // The flood never stops on its own: 15 s leaves a loaded machine room and is still "never".
        #expect(elapsed < 15_000, "the call ends near its 1 s timeout, not when the flood stops")
        #expect(await sampling.value <= 2, "the call and at most one tools/list are waiting")
        for _ in 0..<300 where await f.host.isRunning("flood") { try await Task.sleep(nanoseconds: 100_000_000) }
        #expect(await f.host.isRunning("flood") == false, "a module that stops reading is ended as stuck")
    }

    @Test func duplicateToolNamesAreOfferedOnceAndSanitisedClashesStillRoute() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("dup", mode: "dupes")
        let names = await f.host.toolDefinitions().map(\.name)
        // "a b" is not a valid MCP tool name (2025-11-25), so it is never offered; "a_b" and "a.b" still clash.
        #expect(names == ["dup__echo", "dup__a_b", "dup__a_b_2"])
        #expect(await f.text("dup", "echo", ["text": "once"]).content == "once")
        for (offered, tool) in [("dup__a_b", "a_b"), ("dup__a_b_2", "a.b")] {
            let r = await f.host.call(toolName: offered, arguments: [:], approval: FixedApprovals(.yes))
            #expect(r.content == tool && !r.isError, "\(offered): \(r.content)")
        }
        #expect(await f.host.toolDefinitions().map(\.name) == names, "the same names after the module was listed again")
    }

    @Test func aToolNamedOneLetterAndAMegabyteOfCombiningMarksCannotStallTheHost() async throws {
        // Swift's String hashes and compares by canonical equivalence, quadratic in a grapheme's marks: this list's
        // de-duplication took 28 s and each re-list's comparison with the cached one 18 s (the host is one actor:
        // every module's calls waited), and parsing the frame (its object keys) minutes before that.
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let start = MonotonicClock.nanoseconds()
        try await f.install("marks", mode: "marks")
        let names = await f.host.toolDefinitions().map(\.name)
        #expect(names.contains("marks__echo"))
        #expect(names.count == 11, "the tool whose name MCP forbids is never offered: \(names.count)")
        // A re-list whose text is canonically the same but other bytes: both are read with their marks in canonical
        // order (`MarkOrder`), class 220 first, and compared as bytes.
        #expect(await f.text("marks", "touch_list").isError == false)
        for _ in 0..<300
        where await f.host.toolDefinitions().first?.description.utf8.starts(with: "a\u{0316}".utf8) != true {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        #expect(await f.host.toolDefinitions().first?.description.utf8.starts(with: "a\u{0316}".utf8) == true)
        #expect(await f.text("marks", "echo", ["text": "still here"]).content == "still here")
        let ms = MonotonicClock.millisSince(start)
        #expect(ms < 20_000, "took \(ms) ms")
    }

    @Test(arguments: [false, true])
    func stderrFloodKeepsTheLogWithinItsLimitAndKeepsTheNewestLines(redacting: Bool) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/logs/spew.log"
        let limit = 64 << 10
        let unchanged: @Sendable (String) -> String = { $0 }
        let log = ModuleLog(path: path, maxBytes: limit, redact: redacting ? unchanged : nil)
        let client = try await Fixtures.connect("spew", log: log)
        defer { client.close() }
        let r = try await client.callTool(name: "echo", arguments: ["text": "spewed", "lines": 100, "bytes": 16384])
        #expect(r.text == "spewed")
        func text(_ p: String) -> String { String(decoding: (try? ModuleFiles.read(p)) ?? [], as: UTF8.self) }
        for _ in 0..<100 where !text(path).contains("spew done") { try await Task.sleep(nanoseconds: 100_000_000) }
        let current = text(path)
        #expect(current.contains("spew done"), "the newest output is kept")
        #expect(current.contains("older output dropped"), "the log says once that lines were dropped")
        let older = text(path + ".1")
        #expect(current.utf8.count <= limit, "1.6 MB of stderr, two files of the limit at most")
        #expect(older.utf8.count <= limit)
        #expect(access(path + ".2", F_OK) != 0)
    }

    @Test func outputClosedByALiveProcessEndsTheCallAtOnce() async throws {
        let client = try await Fixtures.connect("close_stdout", module: "mute")
        defer { client.close() }
        let start = MonotonicClock.nanoseconds()
        let e = await #expect(throws: MCPError.self) {
            try await client.callTool(name: "echo", arguments: ["text": "x"], timeout: 20)
        }
        #expect(MonotonicClock.millisSince(start) < 10_000, "no waiting for the 20 s call timeout")
        #expect(e?.userMessage.hasPrefix("module mute closed its output") == true, "\(String(describing: e))")
        #expect(e?.isFatal == true)
        #expect(client.process.waitForExit(ms: 5000), "the process is ended")
    }

    @Test(arguments: [("bad_json", "a line that is not JSON"), ("string_ids", "an answer whose id is not a number")])
    func handshakeAnswerNexusCannotUseIsNamedInTheError(mode: String, what: String) async throws {
        let e = await #expect(throws: MCPError.self) {
            try await Fixtures.connect(mode, limits: MCPLimits(handshakeTimeout: 3), module: "odd")
        }
        let message = e?.userMessage ?? ""
        #expect(message.hasPrefix("module odd: answered initialize with something nexus could not use"), "\(message)")
        #expect(message.contains(what), "\(message)")
    }

    @Test func aModuleThatFailedItsFirstStartIsNotStartedAgainOnEveryLaunch() async throws {
        let f = try HostFixture(options: { $0.limits = MCPLimits(handshakeTimeout: 2) })
        defer { Task { await f.close() } }
        try await f.install("mute", mode: "silent")
        let log = f.dir.path + "/logs/modules/mute.log"
        func starts() -> Int {
            let text = String(decoding: (try? ModuleFiles.read(log)) ?? [], as: UTF8.self)
            return text.split(separator: "\n").filter { $0.contains("fixture: started") }.count
        }
        _ = await f.host.toolDefinitions()
        #expect(try f.registry.get("mute")?.health == .failing)
        let tried = starts()
        #expect(tried >= 1)
        // The next nexus process on the same home.
        let next = ModuleHost(
            registry: f.registry, bus: EventBus(),
            options: .init(
                modulesDirectory: f.dir.path + "/modules", logsDirectory: f.dir.path + "/logs",
                limits: MCPLimits(handshakeTimeout: 2)))
        #expect(await next.toolDefinitions().isEmpty)
        #expect(starts() == tried, "the failing module was started again")
        await next.shutdownAll()
    }

    /// JSON as deep as the parser allows (`JSONValue.maxDepth`) is read on the client's reader thread, whose
    /// stack was 256 KiB: a debug build overflowed it at about 150 levels and the whole of nexus died with
    /// SIGSEGV (a module crashed the host with one line). The reader's stack now holds the parser's own bound.
    @Test func jsonNestedAsDeepAsTheParserAllowsCannotCrashTheHost() async throws {
        let client = try await Fixtures.connect("deep")
        defer { client.close() }
        // The frame's object, `params`/`result` and `data`/`structuredContent` take three levels of the bound.
        let levels = JSONValue.maxDepth - 5
        let r = try await client.callTool(name: "echo", arguments: ["levels": .number(Double(levels))])
        #expect(r.text == "deep done" && !r.isError)
        var depth = 0
        var v = r.structured?["v"]
        while let inner = v?.arrayValue?.first {
            depth += 1
            v = inner
        }
        #expect(depth == levels, "the nested result arrived whole")
        #expect(!client.isClosed)
        #expect(try await client.callTool(name: "echo", arguments: ["levels": 3]).text == "deep done")
    }

    /// Seen before: a server paging `tools/list` 100 times (the page limit) with 15 MiB on each page (under the
    /// frame limit) held nexus for 52 s and took it to 3.5 GB resident, at install and again at every session
    /// that started the module. A listing now stops once its pages add up to more than one frame's worth.
    @Test func aToolListPagedPastItsByteLimitIsRefusedBeforeItFillsTheHost() async throws {
        let client = try await Fixtures.connect("huge_list")
        defer { client.close() }
        let start = MonotonicClock.nanoseconds()
        await #expect {
            _ = try await client.listTools()
        } throws: { e in
            "\(e)".contains("tools/list") && "\(e)".contains("16 MB")
        }
        #expect(MonotonicClock.millisSince(start) < 20_000)
        #expect(try await client.callTool(name: "echo", arguments: ["text": "still here"]).text == "still here")
    }

    /// A module cannot drive the model or ask the person by itself: nexus declares no sampling, elicitation or
    /// roots, and refuses each such request with "method not found" while the call goes on.
    @Test func serverRequestsForTheModelThePersonOrTheFilesystemAreRefused() async throws {
        let client = try await Fixtures.connect("asks")
        defer { client.close() }
        let r = try await client.callTool(name: "echo", arguments: [:])
        let answers = try JSONValue(parsing: Array(r.text.utf8))
        for (id, method) in [("s1", "sampling/createMessage"), ("e1", "elicitation/create"), ("r1", "roots/list")] {
            #expect(answers[id]?["result"] == nil, "\(method) got a result: \(r.text)")
            #expect(answers[id]?["error"]?["code"]?.intValue == -32601, "\(method): \(r.text)")
            #expect(answers[id]?["error"]?["message"]?.stringValue?.contains(method) == true)
        }
        #expect(!client.isClosed)
    }

    /// Seen before: names that differ only where namespacing makes them equal ("." and "_") were told apart by
    /// trying suffixes _2, _3, … from 2 for each of them: quadratic, on the host actor. 10,000 such names (well
    /// under the tool list's byte bound) held every turn for more than five minutes.
    @Test func toolNamesThatCollideWhenNamespacedCostLinearTime() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("clash", mode: "collide")
        let start = MonotonicClock.nanoseconds()
        let names = await f.host.toolDefinitions().map(\.name)
        let elapsed = MonotonicClock.millisSince(start)
        #expect(names.count == 3001 && Set(names).count == 3001, "every tool offered once, by a name of its own")
        #expect(elapsed < 5000, "the catalogue took \(elapsed) ms")
        #expect(await f.text("clash", "echo", ["text": "still"]).content == "still")
    }

    /// Seen before: `structuredContent` was checked against the tool's `outputSchema` item by item, each `enum` by
    /// scanning its values: 100,000 items against 10,000 values (under 1 MB each way) kept the call's task busy
    /// for about a minute after the module had answered, past the call's timeout. The check now has a budget.
    @Test func anOutputSchemaTooCostlyToCheckEndsTheCallAtOnce() async throws {
        let client = try await Fixtures.connect("enum_bomb")
        defer { client.close() }
        _ = try await client.listTools()
        let start = MonotonicClock.nanoseconds()
        let r = try await client.callTool(name: "echo", arguments: ["text": "x"])
        let elapsed = MonotonicClock.millisSince(start)
        #expect(elapsed < 20_000, "the check took \(elapsed) ms")  // unbounded, it took about a minute
        #expect(r.isError && r.text.contains("too large to check"), "\(r.text.prefix(300))")
    }

    /// Seen before: only the list's bytes bounded a module's tools, so 150,000 small ones were all indexed for
    /// the picker at every session start (the first turn took about 24 s). nexus takes at most
    /// `MCPLimits.maxTools`, says so in the module's log, and reads no further pages.
    @Test func aModuleListingTensOfThousandsOfToolsIsCutToTheToolLimit() async throws {
        let dir = TemporaryDirectory(prefix: "nexus-many-tools")
        defer { dir.remove() }
        let client = try await Fixtures.connect(
            "many_tools", limits: MCPLimits(maxTools: 2_500), log: ModuleLog(path: dir.path + "/module.log"))
        defer { client.close() }
        let tools = try await client.listTools()
        #expect(tools.count == 2_500, "\(tools.count)")
        #expect(tools.first?.name == "echo" && tools.last?.name == "m2498")
        let log = try FileSystem.readText(dir.path + "/module.log")
        #expect(log.contains("lists more than 2500 tools; nexus takes the first 2500"), "\(log.suffix(400))")
        #expect(try await client.callTool(name: "echo", arguments: ["text": "still"]).text == "still")
    }
}
