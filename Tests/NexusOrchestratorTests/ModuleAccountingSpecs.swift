import NexusCore
import NexusModules
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusOrchestrator

#if canImport(Glibc)
    import Glibc
#endif

/// Per-module accounting (issue 16 item 5): `module_context` on the calls whose prompt holds a module's tool
/// results, spending by module in `/cost`, time to first token, and the `traceparent` a module receives.
@Suite struct ModuleAccountingSpecs {
    static let config = TurnLoopSpecs.config()

    /// `/cost`'s text once the ledger holds `rows` rows (it is written asynchronously).
    static func costText(_ nexus: InProcessNexus, afterLedgerRows rows: Int) async throws -> String {
        let ledger = LedgerRepository(db: nexus.context.database)
        for _ in 0..<3_000 where ((try? ledger.grandTotal().calls) ?? 0) < rows {
            try await Task.sleep(for: .milliseconds(10))
        }
        let (_, events) = await nexus.run("/cost")
        return events.compactMap { if case .commandOutput(_, let t) = $0.kind { t } else { nil } }.joined()
    }

    static func records(_ events: [Event]) -> [LLMCallRecord] {
        events.compactMap { if case .llmCall(let r) = $0.kind { r } else { nil } }
    }

    @Test func theCallAfterAModulesToolResultCarriesItsModuleContext() async throws {
        let fake = ScriptedProvider(
            name: "fake",
            steps: [
                .reply(text: "", toolCalls: [TurnLoopSpecs.call("weather__forecast", ["city": "Oslo"])]),
                .reply(text: "Rain in Oslo."),
                .reply(text: "Still rain."),
            ])
        let tools = ScriptedToolSource([
            .init(name: "weather__forecast") { _ in ("rain", false) }, .init(name: "calc") { _ in ("2", false) },
        ])
        let nexus = try InProcessNexus(config: Self.config, providers: [fake], tools: [tools])
        let (_, events) = await nexus.run("weather in Oslo?")
        let records = Self.records(events)
        #expect(records.map(\.moduleContext) == [nil, "weather"])
        #expect(records.allSatisfy { $0.timeToFirstTokenMs != nil }, "each call streamed something")
        // The next turn still has the result in its prompt: it is paid for again, and charged to the module.
        let (_, next) = await nexus.run("and tomorrow?")
        #expect(Self.records(next).map(\.moduleContext) == ["weather"])
        await nexus.endSession()
        let rows = try LedgerRepository(db: nexus.context.database).spentByModule()
        #expect(rows.map(\.key).sorted() == ["", "weather"])
        #expect(rows.first { $0.key == "weather" }?.calls == 2)
        await nexus.close()
    }

    @Test func aToolTheModelInventedIsNoModule() {
        let offered = [ToolDefinition(name: "weather__forecast", description: "d")]
        let request = LLMRequest(
            model: "m",
            messages: [
                .toolResult(ToolResult(callID: "1", name: "evil__x", content: "unknown tool", isError: true)),
                .toolResult(ToolResult(callID: "2", name: "weather__forecast", content: "sun")),
                .toolResult(ToolResult(callID: "3", name: "calc", content: "4")),
            ], tools: offered)
        #expect(ModuleContext.of(request) == "weather")
        #expect(ModuleContext.of(LLMRequest(model: "m", messages: [.user("hi")], tools: offered)) == nil)
    }

    @Test func costBreaksSpendingDownByModule() async throws {
        let fake = ScriptedProvider(
            name: "fake",
            steps: [
                .reply(text: "", toolCalls: [TurnLoopSpecs.call("weather__forecast")]), .reply(text: "done"),
            ])
        let tools = ScriptedToolSource([.init(name: "weather__forecast") { _ in ("rain", false) }])
        let nexus = try InProcessNexus(config: Self.config, providers: [fake], tools: [tools])
        _ = await nexus.run("weather?")
        let text = try await Self.costText(nexus, afterLedgerRows: 2)
        #expect(text.contains("This session by module:"))
        #expect(text.contains("weather") && text.contains("(none)"))
        let status = await nexus.orchestrator.status()
        #expect(status.sessionByModule.map(\.key).sorted() == ["(none)", "weather"])
        await nexus.close()
    }

    @Test func aModuleGetsTheTraceparentOfItsMCPSpanAndNothingMore() async throws {
        let dir = TemporaryDirectory(prefix: "nexus-trace")
        defer { dir.remove() }
        let database = try Database(path: dir.path + "/nexus.db")
        let registry = ModuleRegistry(database: database)
        let installer = ModuleInstaller(registry: registry, modulesDirectory: dir.path + "/modules")
        let folder = dir.path + "/src"
        _ = mkdir(folder, 0o755)
        let fixture = ConfigLoaderTests.repositoryRoot + "/Tests/NexusModulesTests/Fixtures/mcp_fixture.py"
        _ = dir.write("src/adapter.py", try FileSystem.readText(fixture))
        _ = dir.write(
            "src/manifest.json",
            """
            {"name": "trace", "version": "1.0.0", "category": "testing", "description": "d",
             "entry_point": "adapter.py", "test_file": "test_adapter.py",
             "runtime": {"protocol": "mcp-stdio", "command": ["python3", "adapter.py", "normal"]}}
            """)
        _ = dir.write("src/test_adapter.py", "print('ok')\n")
        _ = try await installer.install(
            try installer.prepare(.folder(folder)), approval: ScriptedInteraction(fallback: .yes))
        let bus = EventBus()
        let host = ModuleHost(
            registry: registry, bus: bus, options: .init(modulesDirectory: dir.path + "/modules"))
        defer { Task { await host.shutdownAll() } }
        let identity = TraceIdentity()
        let source = ModuleToolSource(host: host, traceIdentity: identity)
        let approval = PublishedApproval(
            inner: ScriptedInteraction(fallback: .yes), bus: bus, turn: 4, denials: TurnDenials(), scrubber: NoSecrets()
        )
        let result = await source.call(ToolCall(id: "call_9", name: "trace__meta", arguments: [:]), approval: approval)
        let meta = try JSONValue(parsing: result.content)
        #expect(meta["traceparent"]?.stringValue == identity.traceparent(turn: 4, callID: "call_9"))
        #expect(meta["tracestate"] == nil && meta["baggage"] == nil)
        // Without tracing the module still gets a valid, random one (never ours).
        let plain = await ModuleToolSource(host: host).call(
            ToolCall(id: "call_9", name: "trace__meta", arguments: [:]), approval: approval)
        let other = try JSONValue(parsing: plain.content)["traceparent"]?.stringValue
        #expect(other != nil && other != identity.traceparent(turn: 4, callID: "call_9"))
        await host.shutdownAll()
    }
}
