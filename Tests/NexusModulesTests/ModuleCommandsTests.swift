import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ModuleCommandsTests {
    @Test func slashCommandAndCLIShareOneImplementation() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let commands = ModuleCommands(host: f.host, installer: f.installer)
        let src = Fixtures.moduleFolder(in: f.dir, name: "slashy")
        let installed = await commands.execute(["install", src], approval: FixedApprovals(.yes))
        #expect(installed.status == .success && installed.text.hasPrefix("installed slashy 1.0.0"))
        let tested = await commands.execute(["test", "slashy"], approval: FixedApprovals(.yes))
        #expect(tested.status == .success, "\(tested.text)")
        #expect(tested.text.contains("test_file test_adapter.py: passed"))
        #expect(tested.text.contains("health check: started, 11 tools, ping"))
        let list = await commands.execute(["list"], approval: FixedApprovals(.yes))
        #expect(list.text.contains("slashy") && list.text.contains("healthy"))
        let info = await commands.execute(["info", "slashy"], approval: FixedApprovals(.yes))
        #expect(info.text.contains("slashy__echo"))
        let missing = await commands.execute(["rollback", "nobody"], approval: FixedApprovals(.yes))
        #expect(missing.status == .usage && missing.text.hasPrefix("module nobody: not installed"))
        let refused = await commands.execute(
            ["install", Fixtures.moduleFolder(in: f.dir, name: "refused")], approval: FixedApprovals(.no))
        #expect(refused.status == .approvalNeeded)
        #expect(await commands.execute(["frobnicate"], approval: FixedApprovals(.yes)).status == .usage)
    }
}
