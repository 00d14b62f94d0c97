import Glibc
import NexusCore
import NexusSandbox
import Testing

@Suite struct JailOptionsTests {
    func options(
        mode: String = "exec", workspace: String? = nil, allow: [String] = [], env: [String] = [],
        command: [String] = ["true"], host: [String: String] = [:]
    ) throws(SandboxError) -> JailOptions {
        try JailOptions(
            mode: mode, workspace: workspace, allowHosts: allow, env: env, secretEnv: [], resolve: [], timeout: nil,
            memoryMB: nil, command: command, capture: true, resultJSON: nil, auditLog: nil, recordDir: nil,
            config: SandboxConfig(), hostEnvironment: host)
    }

    func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch { return (error as? SandboxError)?.userMessage ?? "\(error)" }
    }

    @Test func misspeltModeNamesTheChoices() {
        do {
            _ = try options(mode: "valdate")
            Issue.record("accepted")
        } catch {
            #expect(error.userMessage.contains("valdate"))
            #expect(error.hint?.contains("exec, validate, integration") == true)
            #expect(error.exitCode == .usage)
        }
    }

    @Test func workspaceThatIsASymlinkIsRefused() throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        mkdir(dir + "/real", 0o755)
        symlink(dir + "/real", dir + "/link")
        #expect(
            message { _ = try options(mode: "validate", workspace: dir + "/link") }?.contains("symbolic link") == true)
        #expect(try options(mode: "validate", workspace: dir + "/real").workspace == dir + "/real")
        #expect(message { _ = try options(workspace: dir + "/missing") }?.contains("does not exist") == true)
    }

    @Test func nestedSandboxCallIsRefused() {
        #expect(message { _ = try options(host: ["NEXUS_SANDBOX": "1"]) }?.contains("nested sandbox") == true)
    }

    @Test func allowHostThatIsAURLOrRangeIsRefused() {
        #expect(
            message { _ = try options(mode: "validate", allow: ["https://api.example.com"]) }?.contains("URL") == true)
        #expect(message { _ = try options(mode: "validate", allow: ["10.0.0.0/8"]) }?.contains("range") == true)
    }

    @Test func pathGrantsNeverExposeTheHomeItselfOrSystemDirectoriesButMayReachInsideTheHome() throws {
        var o = try options()
        let home = T.tempDir(under: "/var/tmp")
        defer { _ = system("rm -rf \(home)") }
        mkdir(home + "/.pyenv", 0o755)
        let forbidden = ForbiddenPaths(userHomes: [home], trees: ["/nonexistent-nexus-home"])
        #expect(
            message { try o.addGrants(readOnly: [home], readWrite: [], forbidden: forbidden) }?.contains(
                "home directory itself") == true)
        #expect(
            message { try o.addGrants(readOnly: ["/var/tmp"], readWrite: [], forbidden: forbidden) }?.contains(
                "contains the home directory") == true)
        #expect(
            message { try o.addGrants(readOnly: ["/"], readWrite: [], forbidden: forbidden) }?.contains("whole host")
                == true)
        #expect(
            message { try o.addGrants(readOnly: ["/usr/lib"], readWrite: [], forbidden: forbidden) }?.contains("system")
                == true)
        #expect(
            message { try o.addGrants(readOnly: [], readWrite: ["/etc/passwd"], forbidden: forbidden) }?.contains(
                "system") == true)
        #expect(
            message { try o.addGrants(readOnly: ["relative"], readWrite: [], forbidden: forbidden) }?.contains(
                "absolute") == true)
        #expect(
            message { try o.addGrants(readOnly: ["/tmp"], readWrite: [], forbidden: forbidden) }?.contains(
                "private /tmp") == true)
        let dir = T.tempDir(under: "/var/tmp")
        defer { _ = system("rm -rf \(dir)") }
        let inner = ForbiddenPaths(userHomes: [], trees: [dir + "/inner"])
        #expect(
            message { try o.addGrants(readOnly: [dir], readWrite: [], forbidden: inner) }?.contains("overlaps") == true)
        try o.addGrants(readOnly: [home + "/.pyenv"], readWrite: [], forbidden: forbidden)
        // A directory under the host's /tmp (a checkout or venv there) is bound over the private /tmp;
        // a child grant comes after its parent so it is bound on top.
        let underTmp = T.tempDir()
        defer { _ = system("rm -rf \(underTmp)") }
        mkdir(underTmp + "/out", 0o755)
        try o.addGrants(readOnly: [underTmp], readWrite: [underTmp + "/out"], forbidden: forbidden)
        #expect(
            o.grants.map(\.path)
                == [home + "/.pyenv", underTmp, underTmp + "/out"].sorted {
                    ($0.split(separator: "/").count, $0) < ($1.split(separator: "/").count, $1)
                })
        #expect(o.grants.first { $0.path == underTmp + "/out" }?.writable == true)
        // Granted again (read-only, then read-write): still one mount, writable.
        try o.addGrants(readOnly: [underTmp], readWrite: [underTmp], forbidden: forbidden)
        #expect(o.grants.filter { $0.path == underTmp }.map(\.writable) == [true])
    }

    @Test func symlinkedGrantIsRefused() throws {
        var o = try options()
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        mkdir(dir + "/real", 0o755)
        symlink(dir + "/real", dir + "/link")
        let none = ForbiddenPaths(userHomes: [], trees: [])
        #expect(
            message { try o.addGrants(readOnly: [dir + "/link"], readWrite: [], forbidden: none) }?.contains(
                "symbolic link") == true)
        #expect(
            message { try o.addGrants(readOnly: [], readWrite: [], dataDir: dir + "/link", forbidden: none) }?.contains(
                "symbolic link") == true)
    }

    @Test func missingCommandIsAUsageError() {
        #expect(message { _ = try options(command: []) }?.contains("command") == true)
    }

    @Test func modeDefaultsComeFromConfig() throws {
        let o = try options(mode: "validate")
        #expect(o.timeoutSeconds == 60 && o.memoryMB == 512)
        #expect(try options().timeoutSeconds == 30)
    }

    @Test func secretLookingEnvValuesAreRedactedLater() throws {
        let o = try options(env: ["API_KEY=sk-12345678", "LANG_X=plain"])
        #expect(o.secrets == ["sk-12345678"])
        #expect(o.env.map(\.0) == ["API_KEY", "LANG_X"])
    }

    @Test func invocationBuildsTheJailerArgv() {
        let inv = JailInvocation(
            mode: .validate, workspace: "/w", allowHosts: ["api.example.com"], env: ["A": "1"], timeout: 0, memory: 128,
            command: ["python3", "-c", "pass"])
        #expect(
            inv.arguments(nexusExecutable: "/bin/nexus") == [
                "/bin/nexus", "sandbox", "exec", "--mode", "validate", "--workspace", "/w", "--allow-host",
                "api.example.com", "--env", "A", "--timeout", "0", "--memory", "128", "--", "python3", "-c", "pass",
            ])
        #expect(inv.environment == ["A": "1"], "the value travels in the jailer's environment")
    }
}
