import NexusCore
import NexusTesting
import NexusVault
import Testing

@testable import NexusModules

/// The start check after an install says the way out the failure has: a vault that withholds a stored
/// credential from new files points to `nexus creds bind`, not to the module's log and command.
@Suite struct InstallStartCheckSpecs {
    @Test func aCredentialGivenToEarlierFilesPointsToCredsBind() async throws {
        let withheld: CredentialProvider = { module, wanted in
            throw VaultError.boundToOtherCode(module: module, name: wanted.first?.name ?? "api_key")
        }
        let f = try HostFixture(credentials: withheld)
        defer { Task { await f.close() } }
        let commands = ModuleCommands(host: f.host, installer: f.installer)
        let src = Fixtures.moduleFolder(
            in: f.dir, name: "rebound", extra: JSONObject([("credentials", [["name": "api_key", "env": "REB_KEY"]])]))
        let r = await commands.execute(["install", src, "--yes"], approval: FixedApprovals(.yes))
        #expect(r.status == .failure, "\(r.text)")
        #expect(r.text.contains("was given to other code"), "\(r.text)")
        #expect(r.text.contains("nexus creds bind rebound; then run: nexus modules test rebound"), "\(r.text)")
        #expect(!r.text.contains("fix the command or its grants"), "not the module's fault: \(r.text)")
    }
}
