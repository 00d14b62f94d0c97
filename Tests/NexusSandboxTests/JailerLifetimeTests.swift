import Glibc
import NexusCore
import NexusPOSIX
import NexusSandbox
import NexusTesting
import Testing

/// A sandbox never outlives the processes responsible for it: its jailer, and with `--parent-pid` the process
/// that started the jailer (nexus, for a module). The command here ignores SIGTERM, SIGHUP and SIGINT, as a
/// hostile module would, so only the jail's own mechanism can end it.
@Suite(.serialized) struct JailerLifetimeTests {
    static func stubborn(_ marker: String) -> [String] {
        ["sh", "-c", "trap '' TERM HUP INT; touch /workspace/started; exec sleep \(marker)"]
    }

    func jailer(_ dir: String, _ extra: [String], _ command: [String]) -> [String] {
        [
            HostileCorpusTests.nexus, "sandbox", "exec", "--home", dir + "/nexus-home", "--config",
            dir + "/cfg/nexus.toml", "--mode", "validate", "--workspace", dir + "/ws",
        ] + extra + ["--"] + command
    }

    /// `Jail.scratch()` with a workspace, `ws`.
    func scratch() -> String {
        let dir = Jail.scratch()
        mkdir(dir + "/ws", 0o755)
        return dir
    }

    func environment(_ dir: String) -> [String: String] {
        ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": dir + "/userhome"]
    }

    func waitForStart(_ dir: String) -> Bool {
        for _ in 0..<300 {
            if access(dir + "/ws/started", F_OK) == 0 { return true }
            usleep(100_000)
        }
        return false
    }

    /// Seen before: the jail's init armed its parent-death signal and then changed uid, which clears it, so a
    /// jailer killed with SIGKILL (by hand, by the OOM killer) left its sandbox running with no one to end it.
    @Test func aSandboxEndsWhenItsJailerIsKilled() throws {
        guard Jail.built else { return }
        let dir = scratch()
        defer { _ = system("rm -rf \(dir)") }
        let marker = "31.4159\(UInt16.random(in: 1000...9999))"
        let pid = try ChildProcess.spawn(
            jailer(dir, [], Self.stubborn(marker)),
            SpawnOptions(stdin: .null, stdout: .null, stderr: .null, environment: environment(dir)))
        try #require(waitForStart(dir), "the sandboxed command never started")
        kill(pid, SIGKILL)
        ChildProcess.wait(pid)
        #expect(RunningProcesses.leftAfter(3, naming: marker) == 0, "the sandboxed command outlived its jailer")
    }

    /// `--parent-pid`: the run stops when that process exits, however it ends; nexus passes its own pid for
    /// module processes (`ModuleOutlivesNexusEndToEnd` is the attack through nexus).
    @Test func aRunStopsWhenTheProcessNamedByParentPidExits() throws {
        guard Jail.built else { return }
        let dir = scratch()
        defer { _ = system("rm -rf \(dir)") }
        let marker = "27.1828\(UInt16.random(in: 1000...9999))"
        let inner = jailer(dir, ["--parent-pid", "$$"], Self.stubborn(marker))
            .map { "'" + $0.replacing("'", with: "'\\''") + "'" }.joined(separator: " ")
            .replacing("'$$'", with: "$$")
        // A shell starts the jailer and then waits, so it is the jailer's parent; it is killed mid-run.
        let shell = try ChildProcess.spawn(
            ["/bin/sh", "-c", inner + " & wait"],
            SpawnOptions(stdin: .null, stdout: .null, stderr: .null, environment: environment(dir)))
        try #require(waitForStart(dir), "the sandboxed command never started")
        kill(shell, SIGKILL)
        ChildProcess.wait(shell)
        #expect(
            RunningProcesses.leftAfter(3, naming: marker) == 0,
            "the sandboxed command outlived the process named by --parent-pid")
        #expect(RunningProcesses.leftAfter(5, naming: dir + "/ws") == 0, "the jailer ended too")
    }

    @Test func parentPidOfAProcessThatIsNotTheJailersParentIsRefused() throws {
        guard Jail.built else { return }
        let dir = scratch()
        defer { _ = system("rm -rf \(dir)") }
        let other = try ChildProcess.spawn(
            ["/bin/sleep", "10"], SpawnOptions(stdin: .null, stdout: .null, stderr: .null))
        defer {
            kill(other, SIGKILL)
            ChildProcess.wait(other)
        }
        let argv = jailer(dir, ["--parent-pid", String(other)], ["touch", "/workspace/started"])
        let r = Subprocess.run(argv, environment: environment(dir), timeout: 30)
        #expect(r.status == 2, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("--parent-pid \(other)"), "\(r.stderr)")
        #expect(access(dir + "/ws/started", F_OK) != 0, "nothing ran")
    }
}
