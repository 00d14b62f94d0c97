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

    @Test func readOnlyPathNeverExposesHomeOrSystemDirectoriesTwice() throws {
        var o = try options()
        #expect(
            message { try o.addReadOnlyPaths(["/root/.pyenv"], forbidden: ["/root"]) }?.contains("overlaps /root")
                == true)
        #expect(message { try o.addReadOnlyPaths(["/"], forbidden: ["/root"]) }?.contains("whole host") == true)
        #expect(message { try o.addReadOnlyPaths(["/usr/lib"], forbidden: []) }?.contains("already provided") == true)
        #expect(message { try o.addReadOnlyPaths(["relative"], forbidden: []) }?.contains("absolute") == true)
        #expect(message { try o.addReadOnlyPaths(["/tmp"], forbidden: []) }?.contains("private /tmp") == true)
        let dir = T.tempDir(under: "/var/tmp")
        defer { _ = system("rm -rf \(dir)") }
        #expect(message { try o.addReadOnlyPaths([dir], forbidden: [dir + "/inner"]) }?.contains("overlaps") == true)
        try o.addReadOnlyPaths([dir], forbidden: ["/root"])
        #expect(o.readOnlyPaths == [dir])
        // A directory under the host's /tmp (a checkout or venv there) is bound over the private /tmp.
        let underTmp = T.tempDir()
        defer { _ = system("rm -rf \(underTmp)") }
        try o.addReadOnlyPaths([underTmp], forbidden: ["/root"])
        #expect(o.readOnlyPaths == [dir, underTmp])
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
        let argv = JailInvocation(
            mode: .validate, workspace: "/w", allowHosts: ["api.example.com"], env: ["A": "1"], timeout: 0, memory: 128,
            command: ["python3", "-c", "pass"]
        ).arguments(nexusExecutable: "/bin/nexus")
        #expect(
            argv == [
                "/bin/nexus", "sandbox", "exec", "--mode", "validate", "--workspace", "/w", "--allow-host",
                "api.example.com", "--env", "A=1", "--timeout", "0", "--memory", "128", "--", "python3", "-c", "pass",
            ])
    }
}
