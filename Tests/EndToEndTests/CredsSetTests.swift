import NexusTesting
import Testing

/// `nexus creds set` for a credential the installed module does not declare: stored, and said at once
/// that the module will never receive it.
@Suite(.serialized) struct CredsSetEndToEnd {
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

    var env: [String: String] {
        [
            "NEXUS_HOME": dir.path + "/home", "NO_COLOR": "1",
            "MODULE_ENCRYPTION_KEY": String(repeating: "ba", count: 32),
        ]
    }

    @Test func anEverydayWordAsAValueIsStoredWithAWarningThatSaysWhatRedactingItMeans() throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(["creds", "set", "--force", "weather", "api_key"], stdin: "wrong\n", env: env)
        #expect(r.status == 0 && r.stdout.contains("stored weather/api_key"), "\(r.stderr)")
        #expect(r.stderr.contains("warning: this value is everyday English, not a key or token"), "\(r.stderr)")
        #expect(r.stderr.contains("will read «redacted:weather/api_key»"), "what it means: \(r.stderr)")
        #expect(r.stderr.contains("nexus creds set weather api_key"), "the way to fix it: \(r.stderr)")
        #expect(!r.stderr.contains("wrong"), "the value is never repeated: \(r.stderr)")
    }

    @Test func aShortValueIsStoredWithAWarningAndARealLookingKeyWithout() throws {
        try #require(NexusBinary.exists)
        let short = NexusBinary.run(["creds", "set", "--force", "weather", "token"], stdin: "x7Kq2\n", env: env)
        #expect(short.status == 0, "\(short.stderr)")
        #expect(short.stderr.contains("5 characters long, too short for an API key or token"), "\(short.stderr)")
        let real = NexusBinary.run(
            ["creds", "set", "--force", "weather", "token"], stdin: "wk_9f3a1c77e2b04d5e8a61\n", env: env)
        #expect(real.status == 0 && real.stderr.isEmpty, "no warning for a key: \(real.stderr)")
    }

    @Test func anUpgradeInAScriptWantsOnlyTheCredentialsNotStoredYet() throws {
        try #require(NexusBinary.exists)
        func keyed(_ version: String) -> String {
            let manifest = ModuleFixture.manifest(
                name: "keyed", displayName: "Keyed", description: "Needs a key.", className: "Keyed",
                credentials: #"[{"name": "api_key", "env": "KEYED_API_KEY"}, {"name": "region", "env": "KEYED_REG"}]"#
            ).replacing(#""version": "1.0.0""#, with: "\"version\": \"\(version)\"")
            return ModuleFixture.folder(
                in: dir, name: "keyed-\(version)", manifest: manifest, adapter: "# \(version)\n")
        }
        let first = NexusBinary.run(["modules", "install", keyed("1.0.0"), "--yes"], env: env, timeout: 90)
        #expect(first.stdout.contains("credential wanted: keyed api_key"), "\(first.stdout)")
        let set = NexusBinary.run(["creds", "set", "keyed", "api_key"], stdin: "k-9f3a1c77e2b04d5e8a61\n", env: env)
        try #require(set.status == 0, "\(set.stderr)")
        let upgrade = NexusBinary.run(["modules", "install", keyed("2.0.0"), "--yes"], env: env, timeout: 90)
        #expect(!upgrade.stdout.contains("credential wanted: keyed api_key"), "it is stored: \(upgrade.stdout)")
        #expect(upgrade.stdout.contains("credential wanted: keyed region"), "\(upgrade.stdout)")
    }

    @Test func slashCredsSetForAModuleNexusDoesNotKnowSaysSoWithADidYouMean() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "typo")
        let install = NexusBinary.run(
            ["modules", "install", ModuleFixture.echo(in: dir), "--yes"], env: session.env, timeout: 90)
        try #require(install.status == 0, "\(install.stderr)")
        let secret = "typo-secret-never-a-turn-5521"
        let r = NexusBinary.run(
            ["--plain"], stdin: "/creds set ecko token\n\(secret)\n", env: session.env, timeout: 60)
        let said = r.stdout + r.stderr
        #expect(
            said.contains("warning: no module named ecko is installed or built in; did you mean echo?"), "\(said)")
        #expect(said.contains("nexus creds rm ecko token"), "the way out of a typo: \(said)")
        #expect(server.chatRequests.isEmpty, "the secret line was taken for a chat turn")
    }

    @Test func slashCredsSetInASessionWarnsAsTheCommandLineDoes() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "session")
        let install = NexusBinary.run(
            ["modules", "install", ModuleFixture.echo(in: dir), "--yes"], env: session.env, timeout: 90)
        try #require(install.status == 0, "\(install.stderr)")
        let r = NexusBinary.run(
            ["--plain"], stdin: "/creds set echo token\nwrong\n", env: session.env, timeout: 60)
        #expect(r.stdout.contains("stored echo/token"), "stdout: \(r.stdout) stderr: \(r.stderr)")
        let said = r.stdout + r.stderr
        #expect(said.contains("echo declares no credential named token (it declares none)"), "\(said)")
        #expect(said.contains("this value is everyday English"), "\(said)")
    }
}
