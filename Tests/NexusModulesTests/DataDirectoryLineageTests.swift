import NexusCore
import NexusPOSIX
import NexusTesting
import Testing

@testable import NexusModules

/// A module's data directory (`$NEXUS_HOME/module-data/<name>`, its /data) belongs to one installation, as its
/// credentials do (DESIGN §4.6): upgrades and rollbacks keep it, but other code installed under the name of a
/// module that was removed starts with an empty one. Modules keep tokens, sessions and caches of private data there.
@Suite struct DataDirectoryLineageTests {
    /// Seen before: the data directory was keyed by the name alone and survived `modules remove`, so any module
    /// installed later under that name (a build, a third-party server) read what the removed one had kept.
    @Test func aModuleInstalledUnderARemovedModulesNameStartsWithEmptyData() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("keeper", version: "1.0.0")
        #expect(await f.text("keeper", "keep", ["text": "refresh-token-of-the-first-keeper"]).content == "kept")

        // An upgrade is the same installation: its data stays.
        try await f.install("keeper", version: "1.1.0")
        try await f.host.reload("keeper")
        #expect(await f.text("keeper", "recall").content == "refresh-token-of-the-first-keeper")

        await f.host.shutdownAll()
        try f.installer.remove("keeper")
        try await f.install("keeper", version: "9.0.0")
        let other = ModuleHost(
            registry: f.registry, bus: f.bus,
            options: .init(modulesDirectory: f.dir.path + "/modules", logsDirectory: f.dir.path + "/logs"))
        #expect(await other.toolDefinitions().map(\.name).contains("keeper__echo"))
        let recall = await other.call(
            toolName: "keeper__recall", arguments: [:], approval: FixedApprovals(.yes))
        await other.shutdownAll()
        #expect(recall.content == "nothing kept", "the new keeper read the removed one's data: \(recall.content)")

        // The earlier data is set aside for the person, never mounted for a module.
        let aside = f.dir.path + "/module-data/.earlier"
        let kept = FileSystem.list(aside)
        #expect(kept.count == 1 && kept.first?.hasPrefix("keeper-") == true, "\(kept)")
        let text = kept.first.flatMap { try? FileSystem.readText(aside + "/" + $0 + "/kept.txt") }
        #expect(text == "refresh-token-of-the-first-keeper")
    }
}
