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
            mode: mode, workspace: workspace, allowHosts: [], env: env, secretEnv: secret, resolve: [],
            timeout: timeout,
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

@Suite(.serialized) struct IntegrationModeTests {
    @Test func integrationModeRecordsPlainHTTPResponsesAsFixturesAndLogsToTheAuditLog() throws {
        let server = try #require(T.HTTPServer(body: "fixture-body"))
        defer { server.stop() }
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        mkdir(dir + "/ws", 0o755)
        mkdir(dir + "/rec", 0o755)
        let script =
            "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:\(server.port)/x').read().decode())"
        let o = try JailOptions(
            mode: "integration", workspace: dir + "/ws", allowHosts: ["127.0.0.1:\(server.port)"], env: [],
            secretEnv: ["SERVICE_KEY=abcd1234secret"], resolve: [], timeout: 20, memoryMB: nil,
            command: ["python3", "-c", script], capture: true, resultJSON: nil, auditLog: dir + "/audit.jsonl",
            recordDir: dir + "/rec", config: SandboxConfig(), hostEnvironment: [:])
        let r = try Jailer.run(o)
        #expect(r.stdout == "fixture-body\n", "\(r.stderr)")
        #expect(r.network.count == 1 && r.network.first?.verdict == .allowed)
        let fixtures = try readFile(dir + "/rec/fixtures.jsonl")
        #expect(fixtures.contains("\"path\":\"/x\""))
        #expect(try readFile(dir + "/rec/1.http").hasSuffix("fixture-body"))
        #expect(try readFile(dir + "/audit.jsonl").contains("\"kind\":\"sandbox_egress\""))
    }

    @Test func validateModeCannotReachAnythingButTheProxyPort() throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let script = """
            import socket
            for port in (3128, 22, 8003):
                try:
                    socket.create_connection(('127.0.0.1', port), timeout=1).close(); print('open', port)
                except OSError as e:
                    print('closed', port, e.errno)
            """
        let o = try JailOptions(
            mode: "validate", workspace: nil, allowHosts: [], env: [], secretEnv: [], resolve: [], timeout: 20,
            memoryMB: nil, command: ["python3", "-c", script], capture: true, resultJSON: nil, auditLog: nil,
            recordDir: nil, config: SandboxConfig(), hostEnvironment: [:])
        let r = try Jailer.run(o)
        #expect(r.stdout.contains("open 3128"))
        #expect(r.stdout.contains("closed 22") && r.stdout.contains("closed 8003"))
    }
}

@Suite(.serialized) struct LowerTierTests {
    func options(_ mode: String, _ command: [String], allowDegraded: Bool = false) throws -> JailOptions {
        var config = SandboxConfig()
        config.allowDegraded = allowDegraded
        return try JailOptions(
            mode: mode, workspace: nil, allowHosts: [], env: [], secretEnv: [], resolve: [], timeout: 10, memoryMB: nil,
            command: command, capture: true, resultJSON: nil, auditLog: nil, recordDir: nil, config: config,
            hostEnvironment: [:])
    }

    @Test func tierBRunsUnderAUidOfItsOwnWithoutNetworkOrSecrets() throws {
        let full = SandboxProbe.run()
        guard full.isRoot, let b = full.downgraded(to: "B") else {
            print("skipping: tier B needs root")
            return
        }
        let script =
            "id -u; cat /etc/shadow >/dev/null 2>&1 && echo SHADOW; python3 -c 'import socket; socket.socket()' 2>/dev/null && echo INET; echo done"
        let r = try Jailer.run(try options("exec", ["sh", "-c", script]), probe: b)
        #expect(r.tier == "B" && r.outcome == .exited)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first.flatMap { Int($0) } ?? 0 >= 200_000)
        #expect(!r.stdout.contains("SHADOW") && !r.stdout.contains("INET") && r.stdout.contains("done"))
    }

    @Test func tierCRefusesEveryModeUnlessDegradedIsAllowedAndThenMarksIt() throws {
        let c = try #require(SandboxProbe.run().downgraded(to: "C"))
        for mode in ["exec", "validate"] {
            do {
                _ = try Jailer.run(try options(mode, ["true"]), probe: c)
                Issue.record("\(mode) ran in tier C")
            } catch let e as SandboxError {
                #expect(e.userMessage.contains("\(mode) mode refused") && e.userMessage.contains("user namespaces"))
                #expect(e.hint?.contains("allow_degraded") == true && e.hint?.contains("--allow-degraded") == true)
            }
        }
        let r = try Jailer.run(try options("validate", ["true"], allowDegraded: true), probe: c)
        #expect(r.degraded && r.json["degraded"]?.boolValue == true)
        #expect(r.missingLayers.first?.contains("user namespaces") == true)
        #expect(try Jailer.run(try options("exec", ["true"], allowDegraded: true), probe: c).degraded)
    }
}

@Suite struct JailClientTests {
    @Test func clientRunsTheBuiltBinaryAndReadsTheResult() throws {
        guard access(HostileCorpusTests.nexus, X_OK) == 0 else {
            print("skipping: \(HostileCorpusTests.nexus) is not built")
            return
        }
        let r = try JailClient.run(
            JailInvocation(
                mode: .exec, env: ["GREETING": "hi"], timeout: 10, command: ["sh", "-c", "echo $GREETING; exit 4"]),
            nexusExecutable: HostileCorpusTests.nexus)
        #expect(r.outcome == .exited && r.exitCode == 4 && r.stdout == "hi\n")
    }

    /// Seen before: `JailInvocation` wrote `--env NAME=VALUE` and `--secret-env NAME=VALUE` on the jailer's command
    /// line, where every local user reads it (/proc/PID/cmdline), and so does the sandboxed command, from its init's
    /// /proc/1/cmdline. Values now travel in the jailer's environment, named on the command line.
    @Test func aSecretGivenToAnInvocationNeverAppearsOnACommandLine() throws {
        guard access(HostileCorpusTests.nexus, X_OK) == 0 else { return }
        let secret = "tok-\(UInt64.random(in: 1...UInt64.max))"
        let inv = JailInvocation(
            mode: .exec, env: ["PLAIN_SETTING": "plain"], timeout: 10,
            command: [
                "sh", "-c",
                #"tr '\0' ' ' < /proc/1/cmdline | grep -c -- "$SERVICE_TOKEN"; printf %s "$SERVICE_TOKEN" | wc -c; "#
                    + #"echo "$PLAIN_SETTING""#,
            ], secretEnv: ["SERVICE_TOKEN": secret])
        #expect(!inv.arguments(nexusExecutable: "nexus").joined(separator: " ").contains(secret))
        let r = try JailClient.run(inv, nexusExecutable: HostileCorpusTests.nexus)
        let lines = r.stdout.split(separator: "\n").map { $0.trimmingPrefix(" ") }
        #expect(lines.first == "0", "the secret is on the jail's command line: \(r.stdout) \(r.stderr)")
        let length = lines.dropFirst().first.map(String.init)
        #expect(length == String(secret.utf8.count), "the command got the value: \(r.stdout)")
        #expect(lines.last == "plain")
    }
}
