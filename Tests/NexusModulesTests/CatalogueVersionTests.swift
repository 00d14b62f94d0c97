import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

/// The module host's catalogue version (`versionedToolDefinitions`), which the picker keys its caches on: the same
/// while nothing changed, a new one when a real module re-lists its tools after `notifications/tools/list_changed`
/// or the catalogue is rebuilt for any other reason.
@Suite struct CatalogueVersionTests {
    @Test func aReListAfterListChangedGivesTheCatalogueANewVersion() async throws {
        try #require(BuiltProducts.isBuilt(BuiltProducts.fakeMCP), "build nexus-fake-mcp first (swift build)")
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let script = FakeMCPScript(tools: [
            FakeMCPTool(name: "touch_list", answer: .text("announced"), thenReveal: ["later"]),
            FakeMCPTool(
                name: "later", inputSchema: ["type": "object", "properties": ["invoice_number": ["type": "string"]]],
                answer: .text("now listed"), hidden: true),
        ])
        let module = FakeMCPModule(name: "books", script: script)
        let plan = try f.installer.prepare(.folder(module.writeFolder(in: f.dir.path)))
        _ = try await f.installer.install(plan, approval: FixedApprovals(.yes))
        await f.host.invalidateCatalogue()
        let first = await f.host.versionedToolDefinitions()
        #expect(first.tools.map(\.name) == ["books__touch_list"])
        #expect(await f.host.versionedToolDefinitions().version == first.version, "nothing changed, same version")

        #expect(await f.text("books", "touch_list").content == "announced")
        var now = await f.host.versionedToolDefinitions()
        for _ in 0..<300 where now.version == first.version {
            try await Task.sleep(nanoseconds: 100_000_000)
            now = await f.host.versionedToolDefinitions()
        }
        #expect(now.version != first.version)
        #expect(now.tools.first { $0.name == "books__later" }?.inputSchema["properties"]?["invoice_number"] != nil)
        #expect(await f.host.versionedToolDefinitions().version == now.version)

        await f.host.invalidateCatalogue()
        #expect(await f.host.versionedToolDefinitions().version != now.version, "a rebuild is a new version")
    }
}
