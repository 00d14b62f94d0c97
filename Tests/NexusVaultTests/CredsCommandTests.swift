import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import NexusVault
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus creds …` as a person runs it: the built binary, piped stdin, a temporary home.
@Suite struct CredsCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func nexus(_ f: VaultFixture, _ args: [String], stdin: String = "", env: [String: String] = [:]) throws -> Run? {
        guard access(RotationCrashTests.binary, X_OK) == 0 else {
            print("skipped: \(RotationCrashTests.binary) is missing; run `swift build` first")
            return nil
        }
        let inPath = f.dir.write("stdin.txt", stdin)
        let outPath = f.dir.path + "/stdout.txt"
        let errPath = f.dir.path + "/stderr.txt"
        let argv = [RotationCrashTests.binary] + args + ["--home", f.home, "--config", f.configDir + "/nexus.toml"]
        let envList = ["PATH=/usr/bin:/bin", "HOME=" + f.dir.path] + env.map { "\($0.key)=\($0.value)" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = envList.map { strdup($0) } + [nil]
        defer { for p in cArgs + cEnv { free(p) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, RotationCrashTests.binary, &actions, nil, cArgs, cEnv) == 0)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Run(
            status: (status >> 8) & 0xFF, stdout: (try? FileSystem.readText(outPath)) ?? "",
            stderr: (try? FileSystem.readText(errPath)) ?? "")
    }

    @Test func setFromAPipeListAndDeleteWithoutEverPrintingTheValue() throws {
        let f = VaultFixture()
        defer { f.remove() }
        f.dir.write("config/nexus.toml", "")
        guard let set = try nexus(f, ["creds", "set", "openweather", "api_key"], stdin: "piped-secret-value\n") else {
            return
        }
        #expect(set.status == 0)
        #expect(set.stdout == "stored openweather/api_key\n")
        let store = try f.open(try f.database())
        #expect(
            try store.get(module: "openweather", name: "api_key", actor: .user(command: "t"))
                == Array("piped-secret-value".utf8))
        let list = try #require(try nexus(f, ["creds", "list"]))
        #expect(list.status == 0)
        #expect(list.stdout.hasPrefix("MODULE "))
        #expect(list.stdout.contains("openweather  api_key"))
        #expect(!list.stdout.contains("piped-secret-value"))
        let del = try #require(try nexus(f, ["creds", "delete", "openweather", "api_key"]))
        #expect(del.status == 0 && del.stdout == "deleted openweather/api_key\n")
        let again = try #require(try nexus(f, ["creds", "delete", "openweather", "api_key"]))
        #expect(again.status == 1 && again.stderr.contains("no credential openweather/api_key"))
    }

    @Test func aSecretForAModuleThatDoesNotExistIsRefusedWithADidYouMeanUnlessForced() throws {
        let f = VaultFixture()
        defer { f.remove() }
        f.dir.write("config/nexus.toml", "")
        guard let set = try nexus(f, ["creds", "set", "weather", "api_key"], stdin: "piped-secret-value\n") else {
            return
        }
        #expect(set.status == 2)
        #expect(
            set.stderr.contains("no module named weather is installed or built in; did you mean openweather?"),
            "\(set.stderr)")
        #expect(set.stderr.contains("--force"))
        let listed = try #require(try nexus(f, ["creds", "list"]))
        #expect(!listed.stdout.contains("weather"))
        let forced = try #require(
            try nexus(f, ["creds", "set", "weather", "api_key", "--force"], stdin: "piped-secret-value\n"))
        #expect(forced.status == 0 && forced.stdout == "stored weather/api_key\n")
    }

    @Test func aCredentialNamedLikeALoaderOrInterpreterVariableIsRefused() throws {
        let f = VaultFixture()
        defer { f.remove() }
        f.dir.write("config/nexus.toml", "")
        guard let set = try nexus(f, ["creds", "set", "openweather", "LD_PRELOAD"], stdin: "/tmp/evil.so\n") else {
            return
        }
        #expect(set.status == 2)
        #expect(set.stderr.contains("LD_PRELOAD") && set.stderr.contains("reserved"), "\(set.stderr)")
    }

    @Test func anEmptyPipedValueIsAUsageError() throws {
        let f = VaultFixture()
        defer { f.remove() }
        f.dir.write("config/nexus.toml", "")
        guard let r = try nexus(f, ["creds", "set", "m", "a", "--force"], stdin: "\n") else { return }
        #expect(r.status == 2)
        #expect(r.stderr.contains("refusing an empty value for m/a"))
    }

    @Test func aWrongLengthEnvironmentKeyExitsWithStatus2() throws {
        let f = VaultFixture()
        defer { f.remove() }
        f.dir.write("config/nexus.toml", "")
        guard let r = try nexus(f, ["creds", "list"], env: ["MODULE_ENCRYPTION_KEY": "c2hvcnQ="]) else { return }
        #expect(r.status == 2)
        #expect(r.stderr.contains("MODULE_ENCRYPTION_KEY: expected a 32-byte key"))
        #expect(!r.stderr.contains("c2hvcnQ="))
    }

    @Test func aKeyFileReadableByOthersPrintsTheChmodThatFixesIt() throws {
        let f = VaultFixture()
        defer { f.remove() }
        f.dir.write("config/nexus.toml", "")
        guard try nexus(f, ["creds", "list"]) != nil else { return }
        chmod(f.keyFile.path, 0o644)
        let r = try #require(try nexus(f, ["creds", "list"]))
        #expect(r.status == 2)
        #expect(r.stderr.contains("hint: chmod 600 \(f.keyFile.path)"))
    }

    @Test func unlockSetsUpAPassphraseThatLaterCommandsNeed() throws {
        let f = VaultFixture()
        defer { f.remove() }
        f.dir.write("config/nexus.toml", "")
        guard try nexus(f, ["creds", "set", "m", "a", "--force"], stdin: "value-aaaa") != nil else { return }
        let setup = try #require(try nexus(f, ["creds", "unlock", "--insecure-fast-kdf"], stdin: "open sesame\n"))
        #expect(setup.status == 0 && setup.stdout.contains("sealed with a passphrase"))
        let locked = try #require(try nexus(f, ["creds", "list"]))
        #expect(locked.status == 1 && locked.stderr.contains("locked"))
        let wrong = try #require(try nexus(f, ["creds", "unlock"], stdin: "open barley\n"))
        #expect(wrong.status == 1 && wrong.stderr.contains("sealed with a different key"))
        let right = try #require(try nexus(f, ["creds", "unlock"], stdin: "open sesame\n"))
        #expect(right.status == 0 && right.stdout == "vault unlocked: 1 credential\n")
    }
}
