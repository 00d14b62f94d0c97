import Glibc
import NexusCore
import NexusSandbox
import Testing

@Suite(.serialized) struct JailerTests {
    func run(
        _ command: [String], mode: String = "exec", workspace: String? = nil, timeout: Double = 10,
        env: [String] = [], secret: [String] = []
    ) throws -> SandboxResult {
        let o = try JailOptions(
            mode: mode, workspace: workspace, allowHosts: [], env: env, secretEnv: secret, resolve: [], timeout: timeout,
            memoryMB: nil, command: command, capture: true, resultJSON: nil, auditLog: nil, recordDir: nil,
            config: SandboxConfig(), hostEnvironment: [:])
        return try Jailer.run(o)
    }

    @Test func probeFindsATierAndDescribesEveryLayer() {
        let report = SandboxProbe.run()
        #expect(["A", "B", "C"].contains(report.tier))
        if report.userNamespaces { #expect(report.tier == "A") }
        #expect(report.render().contains("tier \(report.tier)"))
        #expect(report.layers.map(\.name).contains("seccomp"))
        #expect(report.json["tier"]?.stringValue == report.tier)
    }

    @Test func commandRunsWithItsOutputCapturedAndExitCodeReported() throws {
        let r = try run(["sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(r.outcome == .exited && r.exitCode == 3)
        #expect(r.stdout == "out\n" && r.stderr == "err\n")
        #expect(r.processExitStatus == 3)
    }

    @Test func missingCommandIsReportedAsNotRunnable() throws {
        let r = try run(["no-such-command-xyz"])
        #expect(r.outcome == .notRunnable)
        #expect(r.error?.contains("not found") == true)
        #expect(r.processExitStatus == 127)
    }

    @Test func wallClockTimeoutEndsTheWholeSandbox() throws {
        let start = MonotonicClock.nanoseconds()
        let r = try run(["sh", "-c", "sleep 100 & sleep 100"], timeout: 1)
        #expect(r.outcome == .timeout && r.limitHit == "timeout")
        #expect(MonotonicClock.millisSince(start) < 5000)
    }

    @Test func theHomeDirectoryAndHostEnvironmentAreInvisible() throws {
        let r = try run(["sh", "-c", "ls /root 2>&1; echo HOME=$HOME; env | wc -l"])
        #expect(r.stdout.contains("No such file"))
        #expect(r.stdout.contains("HOME=/tmp"))
    }

    @Test func secretsAreRedactedFromCapturedOutput() throws {
        let r = try run(["sh", "-c", "echo token=$MY_TOKEN"], env: ["MY_TOKEN=s3cr3t-value"])
        #expect(r.stdout == "token=[REDACTED]\n")
    }

    @Test func workspaceIsReadOnlyInExecModeAndWritableInValidate() throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let ro = try run(["sh", "-c", "echo x > /workspace/f && echo wrote"], workspace: dir)
        #expect(!ro.stdout.contains("wrote"))
        let rw = try run(["sh", "-c", "echo x > /workspace/f && echo wrote"], mode: "validate", workspace: dir)
        #expect(rw.stdout.contains("wrote"))
        #expect(access(dir + "/f", F_OK) == 0)
    }

    @Test func resultSurvivesAJSONRoundTrip() throws {
        let r = try run(["sh", "-c", "echo hi"])
        let back = try #require(SandboxResult(json: try JSONValue(parsing: r.json.serialized)))
        #expect(back.stdout == r.stdout && back.exitCode == r.exitCode && back.outcome == r.outcome)
    }
}
