import NexusTesting
import Testing

/// `nexus creds set` for a credential the installed module does not declare: stored, and said at once
/// that the module will never receive it.
@Suite struct CredsSetEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-creds-set")

    @Test func aCredentialTheModuleDoesNotDeclareIsStoredWithAWarningNamingTheOnesItDoes() throws {
        try #require(NexusBinary.exists)
        let e = [
            "NEXUS_HOME": dir.path + "/home", "NO_COLOR": "1",
            "MODULE_ENCRYPTION_KEY": String(repeating: "ba", count: 32),
        ]
        let install = NexusBinary.run(
            ["modules", "install", ModuleFixture.echo(in: dir), "--yes"], env: e, timeout: 90)
        try #require(install.status == 0, "\(install.stderr)")
        let r = NexusBinary.run(["creds", "set", "echo", "token"], stdin: "a-long-enough-value\n", env: e)
        #expect(r.status == 0 && r.stdout.contains("stored echo/token"), "\(r.stderr)")
        #expect(r.stderr.contains("echo declares no credential named token (it declares none)"), "\(r.stderr)")
    }
}
