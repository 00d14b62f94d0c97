import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus doctor` as a user runs it, above all in the broken states it exists to explain.
@Suite(.serialized) struct DoctorEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-doctor")

    func env(home: String, config: String? = nil) -> [String: String] {
        var e = ["NEXUS_HOME": home, "XDG_CONFIG_HOME": dir.path + "/config", "NO_COLOR": "1"]
        if let config { e["NEXUS_CONFIG"] = config }
        return e
    }

    func line(_ name: String, in output: String) -> String? {
        output.split(separator: "\n").map(String.init).first { $0.dropFirst(7).hasPrefix(name + " ") }
    }

    @Test func aHealthyHomeGetsOneLinePerCheckAndASummary() throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(["doctor"], env: env(home: dir.path + "/fine"))
        for name in ["config", "home", "database", "modules", "vault", "libraries", "helpers", "sandbox"] {
            #expect(line(name, in: r.stdout) != nil, "no \(name) line: \(r.stdout)")
        }
        #expect(line("database", in: r.stdout)?.hasPrefix("[ok]") == true)
        #expect(line("helpers", in: r.stdout)?.hasPrefix("[ok]") == true, "nexus-admin and nexus-yaml are built beside")
        #expect(r.stdout.contains(" checks: "))
    }

    @Test func aDamagedDatabaseIsDiagnosedWithTheWayOut() throws {
        try #require(NexusBinary.exists)
        let home = dir.path + "/damaged"
        mkdir(home, 0o700)
        dir.write("damaged/nexus.db", String(repeating: "not a database ", count: 600))
        let r = NexusBinary.run(["doctor"], env: env(home: home))
        #expect(r.status == 1)
        let db = line("database", in: r.stdout)
        #expect(db?.hasPrefix("[fail]") == true, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(r.stdout.contains("mv \(home)/nexus.db \(home)/nexus.db.damaged"))
        #expect(line("sandbox", in: r.stdout) != nil, "the other checks still run")
        #expect(line("vault", in: r.stdout)?.contains("not checked") == true, "no false all-clear: \(r.stdout)")
        #expect(line("modules", in: r.stdout)?.contains("not checked") == true)
        // Every other command names the same way out.
        let chat = NexusBinary.run(["-p", "hi"], env: env(home: home))
        #expect(chat.status == 1)
        #expect(chat.stderr.contains("nexus.db.damaged"), "stderr: \(chat.stderr)")
    }

    @Test func aBadConfigIsReportedWithItsLineAndTheRestIsStillChecked() throws {
        try #require(NexusBinary.exists)
        let config = dir.write("bad.toml", "# mine\nprivacy = 3\n")
        let r = NexusBinary.run(["doctor"], env: env(home: dir.path + "/badconfig", config: config))
        #expect(r.status == 1)
        #expect(line("config", in: r.stdout)?.contains("bad.toml:2: privacy") == true, "stdout: \(r.stdout)")
        #expect(line("database", in: r.stdout)?.hasPrefix("[ok]") == true)
    }

    @Test func aHomeThatIsAFileIsReportedNotFatal() throws {
        try #require(NexusBinary.exists)
        let file = dir.write("home-is-a-file", "x")
        let r = NexusBinary.run(["doctor"], env: env(home: file))
        #expect(r.status == 1)
        #expect(line("home", in: r.stdout)?.contains("is not a directory") == true, "stdout: \(r.stdout)")
        #expect(line("libraries", in: r.stdout) != nil)
    }

    @Test func anInstalledLocalModelThatIsNotRunningIsNotAProviderFailure() throws {
        try #require(NexusBinary.exists)
        let home = dir.path + "/local"
        for d in [home, home + "/local-model", home + "/local-model/venv", home + "/local-model/venv/bin"] {
            mkdir(d, 0o700)
        }
        let model = dir.write("local/local-model/model.gguf", "GGUF")
        dir.write("local/local-model/model-path", model + "\n")
        dir.write("local/local-model/venv/bin/python", "#!/bin/sh\nexit 1\n", mode: 0o755)
        let r = NexusBinary.run(["doctor"], env: env(home: home))
        #expect(line("local model", in: r.stdout)?.hasPrefix("[ok]") == true, "stdout: \(r.stdout)")
        #expect(!r.stdout.contains("[fail] providers"), "nexus starts the installed model on first use: \(r.stdout)")
        #expect(line("provider", in: r.stdout)?.hasPrefix("[ok]") == true)
    }

    @Test func aModuleWaitingForItsCredentialIsNamedWithTheCommandThatStoresIt() throws {
        try #require(NexusBinary.exists)
        let home = dir.path + "/waiting"
        // The built-in modules are registered on first listing; two of them declare a credential.
        #expect(NexusBinary.run(["modules", "list"], env: env(home: home)).status == 0)
        let r = NexusBinary.run(["doctor"], env: env(home: home))
        let modules = line("modules", in: r.stdout)
        #expect(
            modules?.contains("waiting for a credential: github_issues (token), openweather (api_key)") == true,
            "stdout: \(r.stdout)")
        // Each waiting module gets its own command (only the first was named).
        #expect(
            r.stdout.contains("fix: nexus creds set github_issues token; nexus creds set openweather api_key"),
            "stdout: \(r.stdout)")
        // Once stored, the module is no longer named; the other still is.
        let set = NexusBinary.run(
            ["creds", "set", "github_issues", "token"], stdin: "ghp-test\n", env: env(home: home))
        try #require(set.status == 0, "creds set: \(set.stderr)")
        let after = line("modules", in: NexusBinary.run(["doctor"], env: env(home: home)).stdout)
        #expect(after?.contains("waiting for a credential: openweather (api_key)") == true, "\(after ?? "")")
    }

    @Test(arguments: [["doctor"], ["--version"], ["--help"], ["route"]])
    func aSubcommandWhoseOutputCannotBeWrittenFails(args: [String]) throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(args, stdout: ">/dev/full", env: env(home: dir.path + "/full"))
        #expect(r.status == 1, "\(args): \(r.stderr)")
        #expect(r.stderr.contains("cannot write to standard output: No space left on device"))
    }
}
