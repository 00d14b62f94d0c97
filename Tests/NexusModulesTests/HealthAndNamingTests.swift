import NexusCore
import Testing

@testable import NexusModules

@Suite struct HealthAndNamingTests {
    @Test func errorRateOverTheWindowOpensTheCircuit() {
        var b = CircuitBreaker(
            policy: .init(openAfterConsecutive: 100, window: 10, minCallsForRate: 10, openErrorRate: 0.5, coolDown: 5))
        var transitions: [ModuleHealth] = []
        for i in 0..<12 {
            // fail, ok, fail, ok, ... then two failures in a row: 6 of the last 10 fail.
            let ok = i < 10 ? i % 2 == 1 : false
            if let t = b.record(success: ok, now: Double(i)) { transitions.append(t.to) }
        }
        #expect(transitions.first == .degraded)
        #expect(transitions.last == .failing)
        #expect(b.admit(now: 12).0 == .reject(retryInSeconds: 4))  // opened at t=11 for 5 s
        let (probe, t) = b.admit(now: 17)
        #expect(probe == .probe && t?.to == .degraded)
        #expect(b.admit(now: 17).0 == .reject(retryInSeconds: 1))  // one probe at a time
        #expect(b.record(success: false, now: 17.5)?.to == .failing)
        #expect(b.admit(now: 18).0 == .reject(retryInSeconds: 4.5))
    }

    @Test func rateLimiterFreesSlotsAfterSixtySeconds() {
        var r = RateLimiter(perMinute: 2)
        #expect(r.take(now: 0) == nil)
        #expect(r.take(now: 10) == nil)
        #expect(r.take(now: 20) == 40)
        #expect(r.take(now: 60.5) == nil)
    }

    @Test func namespacedNamesAreProviderSafeAndUnique() {
        #expect(ToolNamespace.name(module: "time", tool: "get_current_time") == "time__get_current_time")
        #expect(ToolNamespace.name(module: "web", tool: "fetch.url v2") == "web__fetch_url_v2")
        let long = String(repeating: "x", count: 80)
        let names = ToolNamespace.assign([("m", long), ("m", long + "y"), ("m", "a.b"), ("m", "a_b")])
        #expect(names.allSatisfy { $0.count <= 64 })
        #expect(Set(names).count == 4)
        #expect(names[3] == "m__a_b_2")
    }

    @Test func sensitiveGlobsMatchToolNames() {
        #expect(ToolNamespace.matches("delete_file", glob: "delete_*"))
        #expect(!ToolNamespace.matches("read_file", glob: "delete_*"))
        #expect(ToolNamespace.matches("send", glob: "s?nd"))
    }

    @Test func duplicateToolNamesWithinAModuleKeepTheFirst() {
        let tools = [
            MCPTool(name: "a", description: "first", inputSchema: [:]),
            MCPTool(name: "a", description: "second", inputSchema: [:]),
        ]
        let kept = ModuleHost.dedupe(tools, module: "m", log: ModuleLog(path: nil))
        #expect(kept.map(\.description) == ["first"])
    }

    @Test func publishedJSONSchemaDescribesEveryManifestField() throws {
        var path = Fixtures.directory
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
        let schema = try JSONValue(parsing: try ModuleFiles.read(path + "/docs/manifest.schema.json"))
        let keys = Set(schema["properties"]?.objectValue?.keys ?? [])
        let fields: Set<String> = [
            "name", "version", "category", "platform", "display_name", "description", "entry_point", "class_name",
            "requires_api_key", "api_key_instructions", "python_dependencies", "test_file", "health_status",
            "created_by",
            "created_at", "build_provider", "validation_results", "runtime", "credentials", "network",
            "rate_limit_per_minute",
            "sensitive_tools", "sha256", "filesystem", "env", "limits", "smoke_test",
        ]
        #expect(keys == fields)
    }
}
