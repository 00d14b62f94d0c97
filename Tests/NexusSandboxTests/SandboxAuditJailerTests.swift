import Glibc
import NexusCore
import NexusSandbox
import NexusTelemetry
import NexusTesting
import Synchronization
import Testing

/// The real jailer writes the audit log live, the tailer brings it into a session's bus, and the metrics
/// show it (issue 16): a module's egress per module and verdict, and every `nexus sandbox exec` run.
@Suite(.serialized) struct SandboxAuditJailerTests {
    final class Finished: Sendable { let done = Atomic<Bool>(false) }

    @Test func moduleOutsideAllowlistIsBlockedAndLogged() async throws {
        try #require(Jail.built, "build nexus first: swift build")
        let server = try #require(T.HTTPServer(body: "ok"))
        defer { server.stop() }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let audit = dir + "/nexus-home/logs/sandbox-audit.jsonl"
        let rig = SandboxAuditTailerTests.Rig(path: audit)
        let forged =
            #"{"kind":"sandbox_egress","module":"weather","mode":"integration","host":"f","verdict":"allowed"}"#
        let script = """
            import sys, time, urllib.request
            def get(u):
                try:
                    return "status %d" % urllib.request.urlopen(u, timeout=10).status
                except Exception:
                    return "failed"
            print(get("http://127.0.0.1:\(server.port)/a"), get("http://blocked.example.com/b"))
            try:
                open("\(audit)", "a").write('\(forged)\\n')
                print("forged")
            except Exception:
                print("cannot write the audit log")
            sys.stdout.flush()
            time.sleep(4)
            """
        let finished = Finished()
        let run = Task.detached {
            defer { finished.done.store(true, ordering: .sequentiallyConsistent) }
            return Jail.exec(
                ["--mode", "integration", "--label", "weather", "--allow-host", "127.0.0.1:\(server.port)"],
                ["python3", "-c", script], in: dir)
        }
        // Both decisions reach the metrics while the module still runs: the log is written as they happen.
        let live = await rig.waitFor(
            [
                #"nexus_egress_requests_total{module="weather",verdict="allowed"} 1"#,
                #"nexus_egress_requests_total{module="weather",verdict="blocked"} 1"#,
            ], seconds: 30)
        #expect(live, "\(rig.metrics)")
        let endedBefore = finished.done.load(ordering: .sequentiallyConsistent)
        #expect(!endedBefore, "seen before the run ended")
        let ran = await run.value
        let r = try #require(ran.result, "\(ran.stderr)")
        #expect(r.stdout.contains("status 200 failed"), "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("cannot write the audit log"), "the module cannot reach the log: \(r.stdout)")
        #expect(
            await rig.waitFor([#"nexus_sandbox_runs_total{mode="integration",outcome="ok"} 1"#]), "\(rig.metrics)")
        #expect(rig.metrics.contains(#"nexus_egress_requests_total{module="weather",verdict="allowed"} 1"#))
        let lines = try readFile(audit).split(separator: "\n")
        #expect(lines.count == 3, "two decisions and the run's end: \(lines)")
        #expect(lines.allSatisfy { $0.contains(#""module":"weather""#) })
        #expect(lines.contains { $0.contains("blocked.example.com") && $0.contains("not in the network allowlist") })
        #expect(server.requestLines == ["GET /a HTTP/1.1"])
    }

    @Test func sandboxExecRunsAreCountedWhicheverProcessRanThem() async throws {
        try #require(Jail.built, "build nexus first: swift build")
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let rig = SandboxAuditTailerTests.Rig(path: dir + "/nexus-home/logs/sandbox-audit.jsonl")
        #expect(Jail.exec([], ["true"], in: dir).status == 0)
        #expect(Jail.exec([], ["true"], in: dir).status == 0)
        #expect(Jail.exec([], ["false"], in: dir).status == 1)
        // The gate publishes its runs itself and says so: that run is not counted twice.
        #expect(Jail.exec(["--no-run-record"], ["true"], in: dir).status == 0)
        #expect(
            await rig.waitFor([
                #"nexus_sandbox_runs_total{mode="exec",outcome="ok"} 2"#,
                #"nexus_sandbox_runs_total{mode="exec",outcome="failed"} 1"#,
            ]), "\(rig.metrics)")
        try await Task.sleep(nanoseconds: 200_000_000)
        rig.tailer.poll()
        #expect(rig.metrics.contains(#"nexus_sandbox_runs_total{mode="exec",outcome="ok"} 2"#), "\(rig.metrics)")
    }

    @Test func aRunTheMachineRefusesIsCountedAsRefused() async throws {
        try #require(Jail.built, "build nexus first: swift build")
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let rig = SandboxAuditTailerTests.Rig(path: dir + "/nexus-home/logs/sandbox-audit.jsonl")
        // Tier C lacks the namespaces every mode needs: without --allow-degraded the jailer refuses.
        let run = Jail.exec(["--tier", "C", "--label", "weather"], ["true"], in: dir)
        #expect(run.status != 0 && run.stderr.contains("refused"), "\(run.stderr)")
        #expect(
            await rig.waitFor([#"nexus_sandbox_runs_total{mode="exec",outcome="refused"} 1"#]), "\(rig.metrics)")
    }

    /// A module host ends its module with the session by signalling the jailer: that run did what it was asked,
    /// so it is `stopped`, not `killed` (which stays for a command that died of a signal on its own).
    @Test func aRunTheJailerIsAskedToStopIsCountedAsStoppedNotKilled() async throws {
        try #require(Jail.built, "build nexus first: swift build")
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let rig = SandboxAuditTailerTests.Rig(path: dir + "/nexus-home/logs/sandbox-audit.jsonl")
        let jail =
            "\(HostileCorpusTests.nexus) sandbox exec --home \(dir)/nexus-home --config \(dir)/cfg/nexus.toml"
            + " --label weather -- sleep 30"
        let run = Subprocess.run(
            ["/bin/sh", "-c", "\(jail) & pid=$!; sleep 2; kill -TERM $pid; wait $pid"],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": dir + "/userhome"], timeout: 30)
        #expect(
            await rig.waitFor([#"nexus_sandbox_runs_total{mode="exec",outcome="stopped"} 1"#]),
            "\(rig.metrics) \(run.stderr)")
        #expect(!rig.metrics.contains(#"outcome="killed""#))
    }

    @Test func aLabelThatIsNotANameIsRefused() throws {
        try #require(Jail.built, "build nexus first: swift build")
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let run = Jail.exec(["--label", "we ather\"}"], ["true"], in: dir)
        #expect(run.status != 0 && run.stderr.contains("--label"), "\(run.stderr)")
        #expect(access(dir + "/nexus-home/logs/sandbox-audit.jsonl", F_OK) != 0 || run.result == nil)
    }
}
