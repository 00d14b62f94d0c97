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

    @Test(arguments: [["doctor"], ["--version"], ["--help"], ["route"]])
    func aSubcommandWhoseOutputCannotBeWrittenFails(args: [String]) throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(args, stdout: ">/dev/full", env: env(home: dir.path + "/full"))
        #expect(r.status == 1, "\(args): \(r.stderr)")
        #expect(r.stderr.contains("cannot write to standard output: No space left on device"))
    }
}
