import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The words people type for a command that goes by another name: `rm` for remove and delete, and a
/// `modules` subcommand that does not exist, which gets named rather than taken for `list`'s arguments.
@Suite(.serialized) struct CommandWordsEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-words")

    func env(home: String) -> [String: String] {
        [
            "NEXUS_HOME": dir.path + "/" + home, "NO_COLOR": "1",
            "MODULE_ENCRYPTION_KEY": String(repeating: "cd", count: 32),
        ]
    }

    func installEcho(_ e: [String: String]) throws {
        let r = NexusBinary.run(["modules", "install", ModuleFixture.echo(in: dir), "--yes"], env: e, timeout: 90)
        try #require(r.status == 0, "stderr: \(r.stderr)")
    }

    @Test func modulesRmRemovesAModuleAsRemoveDoes() throws {
        try #require(NexusBinary.exists)
        let e = env(home: "rm")
        try installEcho(e)
        let r = NexusBinary.run(["modules", "rm", "echo"], env: e)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let list = NexusBinary.run(["modules", "list"], env: e).stdout
        #expect(!list.split(separator: "\n").contains { $0.hasPrefix("echo ") }, "\(list)")
        // Its info no longer names the folder it was moved out of.
        let info = NexusBinary.run(["modules", "info", "echo"], env: e).stdout
        #expect(info.contains("state: archived") && info.contains("path: none (removed"), "\(info)")
        #expect(!info.contains("/modules/testing/echo"), "\(info)")
    }

    @Test func disablingOrEnablingTwiceSaysTheModuleWasAlreadySo() throws {
        try #require(NexusBinary.exists)
        let e = env(home: "twice")
        try installEcho(e)
        #expect(NexusBinary.run(["modules", "disable", "echo"], env: e).stdout == "disabled echo\n")
        #expect(NexusBinary.run(["modules", "disable", "echo"], env: e).stdout == "echo was already disabled\n")
        #expect(NexusBinary.run(["modules", "enable", "echo"], env: e).stdout == "enabled echo\n")
        let again = NexusBinary.run(["modules", "enable", "echo"], env: e).stdout
        #expect(again == "echo was already enabled; its failure count is cleared\n", "\(again)")
    }

    @Test func credsRmDeletesAStoredCredentialAsDeleteDoes() throws {
        try #require(NexusBinary.exists)
        let e = env(home: "creds")
        let set = NexusBinary.run(
            ["creds", "set", "later", "token", "--force"], stdin: "a-long-enough-value\n", env: e)
        try #require(set.status == 0, "stderr: \(set.stderr)")
        let r = NexusBinary.run(["creds", "rm", "later", "token"], env: e)
        #expect(r.status == 0 && r.stdout.contains("deleted later/token"), "stderr: \(r.stderr)")
        #expect(!NexusBinary.run(["creds", "list"], env: e).stdout.contains("token"))
    }

    @Test func anUnknownModulesSubcommandIsNamedWithWhatToTypeInstead() throws {
        try #require(NexusBinary.exists)
        let e = env(home: "unknown")
        let upgrade = NexusBinary.run(["modules", "upgrade", "time"], env: e)
        #expect(upgrade.status == 2)
        #expect(upgrade.stderr.contains("no subcommand 'upgrade'"), "\(upgrade.stderr)")
        #expect(upgrade.stderr.contains("nexus modules install"), "an upgrade is an install: \(upgrade.stderr)")
        #expect(!upgrade.stderr.contains("modules list"), "not the default list's usage: \(upgrade.stderr)")
        let typo = NexusBinary.run(["modules", "instal", "./x"], env: e)
        #expect(typo.status == 2 && typo.stderr.contains("the subcommands are list, info, install"), "\(typo.stderr)")
    }

    @Test func aModuleThatIsNotInstalledPointsToTheListOfTheOnesThatAre() throws {
        try #require(NexusBinary.exists)
        let e = env(home: "absent")
        for verb in ["remove", "test", "rollback", "info", "disable"] {
            let r = NexusBinary.run(["modules", verb, "tmie"], env: e)
            #expect(r.status != 0 && r.stderr.contains("module tmie: not installed"), "\(verb): \(r.stderr)")
            #expect(r.stderr.contains("nexus modules list"), "\(verb) names where to look: \(r.stderr)")
        }
    }
}
