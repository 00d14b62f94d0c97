import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// The 2026-07-28 era probe (`server/discover`, falling back to `initialize`), `_meta` on every request
/// (protocol fields for a modern server, `traceparent` always), and the outputSchema checker, against the
/// standard-library fixture server (a real subprocess speaking JSON-RPC).
@Suite struct MCPHandshakeTests {
    @Test func modernServerGetsNoHandshakeAndTheProtocolFieldsOnEveryRequest() async throws {
        let client = try await Fixtures.connect("modern", module: "new")
        defer { client.close() }
        #expect(client.isModern)
        #expect(client.protocolVersion == "2026-07-28")
        #expect(client.serverName == "fixture-modern")
        #expect(
            try await client.listTools().contains { $0.name == "echo" }, "the server refuses requests without _meta")
        let meta = try await client.callTool(name: "meta", arguments: [:])
        let fields = try JSONValue(parsing: Array(meta.text.utf8))
        #expect(fields["io.modelcontextprotocol/protocolVersion"]?.stringValue == "2026-07-28")
        #expect(fields["io.modelcontextprotocol/clientInfo"]?["name"]?.stringValue == "nexus")
        #expect(TraceParent.valid(fields["traceparent"]?.stringValue) != nil)
        try await client.ping()  // no `ping` in 2026-07-28: the liveness check uses server/discover
    }

    @Test func legacyServerAnsweringTheProbeWithAnErrorGetsInitialize() async throws {
        let client = try await Fixtures.connect("normal", module: "old")
        defer { client.close() }
        #expect(!client.isModern)
        #expect(client.protocolVersion == "2025-11-25")
        #expect(try await client.callTool(name: "echo", arguments: ["text": "hi"]).text == "hi")
    }

    @Test func legacyServerIgnoringTheProbeCostsAtMostTheProbeWindow() async throws {
        let start = MonotonicClock.nanoseconds()
        let client = try await Fixtures.connect(
            "mute_discover", limits: MCPLimits(discoverTimeout: 0.5), module: "deaf")
        defer { client.close() }
        let ms = MonotonicClock.millisSince(start)
        #expect(client.protocolVersion == "2025-11-25")
        #expect(ms < 3000, "the handshake took \(ms) ms")
        #expect(try await client.callTool(name: "echo", arguments: ["text": "ok"]).text == "ok")
    }

    @Test func legacyServerAnsweringTheProbeWithAnEmptyResultGetsInitialize() async throws {
        let client = try await Fixtures.connect("empty_answers", module: "sloppy")
        defer { client.close() }
        #expect(!client.isModern)
        #expect(client.protocolVersion == "2025-11-25")
        #expect(try await client.callTool(name: "echo", arguments: ["text": "fine"]).text == "fine")
    }

    @Test func versionErrorNamingOnlyLegacyVersionsLeadsToInitializeWithOneOfThem() async throws {
        let client = try await Fixtures.connect("old_versions", module: "picky")
        defer { client.close() }
        #expect(!client.isModern)
        #expect(client.protocolVersion == "2025-06-18")
    }

    @Test func traceparentFromTheCallerReachesTheServerAndARandomOneOtherwise() async throws {
        let client = try await Fixtures.connect("normal", module: "trace")
        defer { client.close() }
        func sent(_ given: String?) async throws -> String? {
            let r = try await client.callTool(name: "meta", arguments: [:], traceparent: given)
            return try JSONValue(parsing: Array(r.text.utf8))["traceparent"]?.stringValue
        }
        let given = "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01"
        #expect(try await sent(given) == given)
        let a = try await sent(nil)
        let b = try await sent(nil)
        #expect(TraceParent.valid(a) != nil && TraceParent.valid(b) != nil && a != b)
        let forged = try await sent("00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01\n\"x")
        #expect(forged != nil && forged != given && TraceParent.valid(forged) != nil, "a malformed one is replaced")
    }

    @Test func traceparentValuesFollowW3CTraceContext() {
        #expect(TraceParent.valid("00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01") != nil)
        #expect(TraceParent.valid("00-00000000000000000000000000000000-00f067aa0ba902b7-01") == nil)
        #expect(TraceParent.valid("00-0AF7651916CD43DD8448EB211C80319C-00f067aa0ba902b7-01") == nil)
        #expect(TraceParent.valid("01-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01") == nil)
        #expect(TraceParent.valid("00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7") == nil)
        for _ in 0..<50 { #expect(TraceParent.valid(TraceParent.random()) != nil) }
    }

    @Test func toolNamesOutsideTheMCPRulesAreRefused() {
        for ok in ["getUser", "DATA_EXPORT_v2", "admin.tools.list", "a-b", String(repeating: "x", count: 128)] {
            #expect(MCPTool.nameProblem(ok) == nil, "\(ok)")
        }
        for bad in ["", "a b", "a,b", "naïve", "a\u{0}b", "x/y", "tool\n", String(repeating: "x", count: 129)] {
            #expect(MCPTool.nameProblem(bad) != nil, "\(bad)")
        }
    }

    @Test func outputSchemaMismatchesAreNamedByTheirPath() throws {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "count": ["type": "integer"],
                "mode": ["enum": ["fast", "slow"]],
                "rows": [
                    "type": "array",
                    "items": ["type": "object", "properties": ["id": ["type": "string"]], "required": ["id"]],
                ],
                "meta": [
                    "type": "object", "additionalProperties": false,
                    "properties": ["ok": ["type": ["boolean", "null"]]],
                ],
            ],
            "required": ["count"],
        ]
        func problem(_ v: JSONValue) -> String? { OutputSchemaCheck.problem(v, schema: schema) }
        #expect(problem(["count": 3, "mode": "fast", "rows": [["id": "a"]], "meta": ["ok": .null]]) == nil)
        #expect(problem(["count": 3.5]) == "$.count: expected integer, found number 3.5")
        #expect(problem([:]) == "$.count: required, but missing")
        #expect(problem(["count": 1, "mode": "warp"])?.hasPrefix("$.mode: \"warp\" is not one of") == true)
        #expect(problem(["count": 1, "rows": [["id": "a"], [:]]]) == "$.rows[1].id: required, but missing")
        #expect(problem(["count": 1, "rows": [["id": 7]]]) == "$.rows[0].id: expected string, found number 7")
        #expect(problem(["count": 1, "meta": ["extra": 1]]) == "$.meta.extra: not an allowed property")
        #expect(problem("text") == "$: expected object, found string \"text\"")
        #expect(OutputSchemaCheck.problem(nil, schema: schema)?.contains("no structuredContent") == true)
    }

    @Test func deeplyNestedStructuredContentIsReportedNotRecursedInto() throws {
        var schema: JSONValue = ["type": "string"]
        var value: JSONValue = "leaf"
        for _ in 0..<200 {
            schema = ["type": "array", "items": schema]
            value = [value]
        }
        let p = OutputSchemaCheck.problem(value, schema: schema)
        #expect(
            p?.contains("nested deeper than \(OutputSchemaCheck.maxDepth) levels") == true, "\(String(describing: p))")
    }

    @Test func resultsRenderEveryContentTypeForTheModel() throws {
        let json: JSONValue = [
            "content": [
                ["type": "text", "text": "hello"],
                ["type": "resource_link", "uri": "file:///a/b.rs", "name": "b.rs", "description": "entry point"],
                ["type": "image", "mimeType": "image/png", "data": "AAAA"],
                ["type": "resource", "resource": ["uri": "file:///c", "text": "inline"]],
            ],
            "isError": true,
        ]
        let r = try MCPToolResult(module: "m", json: json)
        #expect(r.isError)
        #expect(r.text == "hello\n[resource link: b.rs <file:///a/b.rs>] entry point\n[image image/png]\ninline")
        let empty = try MCPToolResult(module: "m", json: ["content": [], "isError": true])
        #expect(empty.text == "module m: the tool reported an error without a message")
    }
}

/// Early mcp 1.x servers (1.2 and before) crash on any unknown request before `initialize`, so the
/// 2026-07-28 probe would kill them: such a server is started once more without the probe.
@Suite struct MCPProbeCrashTests {
    @Test func serverDyingOnTheProbeIsStartedAgainWithInitializeOnly() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = ModuleLog(path: dir.path + "/old.log")
        var launches = 0
        let client = try await MCPClient.connect(module: "old", log: log) {
            launches += 1
            return try DirectLauncher().launch(
                LaunchSpec(
                    module: "old", command: ["python3", Fixtures.server, "probe_crash"], workingDirectory: "/tmp",
                    environment: [:], networkAllow: []))
        }
        defer { client.close() }
        #expect(launches == 2)
        #expect(client.protocolVersion == "2025-11-25")
        #expect(try await client.callTool(name: "echo", arguments: ["text": "alive"]).text == "alive")
        let text = String(decoding: (try? ModuleFiles.read(dir.path + "/old.log")) ?? [], as: UTF8.self)
        #expect(text.contains("the server exited on the server/discover probe"), "\(text)")
    }

    @Test func serverCrashingAtStartForAnotherReasonIsNotStartedAgain() async throws {
        var launches = 0
        await #expect(throws: MCPError.self) {
            _ = try await MCPClient.connect(module: "gone", log: ModuleLog(path: nil)) {
                launches += 1
                return try DirectLauncher().launch(
                    LaunchSpec(
                        module: "gone",
                        command: ["python3", "-c", "import sys; sys.stderr.write('no db'); sys.exit(3)"],
                        workingDirectory: "/tmp", environment: [:], networkAllow: []))
            }
        }
        #expect(launches == 1)
    }
}

/// A tool list cached in the registry by an older nexus is offered from the cache without starting the
/// module, so the name rule applies there too.
@Suite struct CachedToolNameTests {
    @Test func aCachedInvalidToolNameIsNeverOfferedToTheModel() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("cached")
        let schema: JSONValue = ["type": "object", "properties": [:]]
        try f.registry.cacheTools(
            "cached",
            [
                MCPTool(name: "echo", description: "Echo.", inputSchema: schema),
                MCPTool(
                    name: "rm -rf /; echo", description: "A name with spaces and a semicolon.", inputSchema: schema),
            ])
        let names = await f.host.toolDefinitions().map(\.name)
        #expect(names == ["cached__echo"], "\(names)")
    }
}
