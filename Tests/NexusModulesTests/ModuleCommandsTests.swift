import NexusCore
import NexusStore
import NexusTesting
import NexusVault
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

    /// Installing a module whose credential is not stored yet succeeds and names the command that stores it:
    /// the same whether nothing was ever stored (no vault) or the vault holds other credentials.
    @Test(arguments: [false, true])
    func installOfAModuleWhoseCredentialIsNotStoredSucceedsAndNamesCredsSet(vaultHoldsOthers: Bool) async throws {
        let vault = try InMemoryVault(secrets: [(module: "other", name: "token", value: "other-v4lue")])
        let noVault: CredentialProvider = { module, wanted in try NoVault.environment(for: module, wants: wanted) }
        let f = try HostFixture(credentials: vaultHoldsOthers ? ModuleHost.credentials(from: vault) : noVault)
        defer { Task { await f.close() } }
        let commands = ModuleCommands(host: f.host, installer: f.installer)
        let src = Fixtures.moduleFolder(
            in: f.dir, name: "keyed", extra: JSONObject([("credentials", [["name": "api_key", "env": "KEYED_KEY"]])]))
        let installed = await commands.execute(["install", src, "--yes"], approval: FixedApprovals(.yes))
        #expect(installed.status == .success, "\(installed.text)")
        #expect(installed.text.hasPrefix("installed keyed 1.0.0"), "\(installed.text)")
        let waiting = "installed; it needs its credentials before it starts: nexus creds set keyed api_key"
        #expect(installed.text.contains(waiting), "\(installed.text)")
        #expect(!installed.text.contains("started:"), "it was not started without its credential")
    }

    /// A module's last error is listed on a line of its own under its row, as one line: as the table's last
    /// column it started at column 71, so in an 80-column terminal (or the TUI's chat) it wrapped through the
    /// table from column 0, and an error's own line breaks broke the table.
    @Test func aLastErrorIsListedOnItsOwnLineUnderItsRowSoTheTableFitsEightyColumns() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("flaky")
        let error = "handshake failed:\n  Traceback (most recent call last):\n" + String(repeating: "x", count: 400)
        try f.registry.setHealth("flaky", .failing, lastError: error)
        let list = await ModuleCommands(host: f.host, installer: f.installer).list()
        let lines = list.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(lines.firstIndex { $0.hasPrefix("flaky ") }, "\(list)")
        #expect(lines.allSatisfy { $0.hasPrefix("    last error: ") || $0.count <= 80 }, "\(list)")
        #expect(!lines[0].contains("ERROR"), "no error column: \(lines[0])")
        let under = lines[row + 1]
        #expect(under.hasPrefix("    last error: handshake failed: Traceback (most recent call last): xxx"), "\(under)")
        #expect(under.hasSuffix("…") && under.count == "    last error: ".count + 160, "\(under)")
    }

    /// `modules test` of a disabled module ran its test file, then failed its health check; it says so first.
    @Test func testingADisabledModuleSaysItIsDisabledBeforeRunningAnything() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let commands = ModuleCommands(host: f.host, installer: f.installer)
        let src = Fixtures.moduleFolder(in: f.dir, name: "sleepy")
        #expect(await commands.execute(["install", src], approval: FixedApprovals(.yes)).status == .success)
        #expect(await commands.execute(["disable", "sleepy"], approval: FixedApprovals(.yes)).status == .success)
        let tested = await commands.execute(["test", "sleepy"], approval: FixedApprovals(.yes))
        #expect(tested.status == .failure, "\(tested.text)")
        #expect(tested.text.hasPrefix("module sleepy: is disabled"), "\(tested.text)")
        #expect(tested.text.contains("nexus modules enable sleepy"), "\(tested.text)")
        #expect(!tested.text.contains("test_file"), "nothing ran: \(tested.text)")
    }
}
