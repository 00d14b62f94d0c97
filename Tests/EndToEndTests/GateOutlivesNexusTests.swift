import NexusCore
import NexusPOSIX
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The gate's sandboxed runs never outlive the nexus running the gate. A module's own code runs there (its
/// adapter for the protocol check, its tests), and a nexus killed with SIGKILL mid-gate closes no pipe on
/// purpose and signals nobody: each jailer went on supervising the module, with no one to read what it
/// printed, until its own timeout (a minute and a half for the tests). Every jailer the gate starts is
/// told nexus's pid (`--parent-pid`) and ends its run the moment nexus is gone.
@Suite(.serialized) struct GateOutlivesNexusEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-gate-orphan")

    /// A module whose adapter never answers and whose test never ends (ignoring SIGTERM), its entry point
    /// named `entry` so its processes can be found by name.
    func stubbornModule(entry: String) -> String {
        let folder = dir.path + "/stubborn-src"
        mkdir(folder, 0o755)
        dir.write(
            "stubborn-src/manifest.json",
            """
            {
              "name": "stubborn", "version": "1.0.0", "category": "testing", "platform": "local",
              "display_name": "Stubborn", "description": "Never answers, never ends.",
              "entry_point": "\(entry)", "class_name": "S", "requires_api_key": false,
              "api_key_instructions": "", "python_dependencies": [], "test_file": "test_adapter.py",
              "health_status": "healthy", "created_by": "test", "created_at": "2026-11-22T00:00:00Z",
              "build_provider": "hand-written", "validation_results": {},
              "runtime": {"protocol": "mcp-stdio", "command": ["python3", "\(entry)"]},
              "credentials": [], "network": {"allow": []}, "rate_limit_per_minute": 600, "sensitive_tools": []
            }
            """)
        dir.write(
            "stubborn-src/\(entry)",
            """
            \"\"\"Never answers the handshake.\"\"\"
            import time

            while True:
                time.sleep(0.2)
            """)
        dir.write(
            "stubborn-src/test_adapter.py",
            """
            import signal
            import time


            def test_never_ends():
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                while True:
                    time.sleep(0.2)
            """)
        return folder
    }

    @Test func aModuleMidGateEndsWhenTheNexusRunningTheGateIsKilled() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        defer { dir.remove() }
        let entry = "stubborn_\(ProcessControl.currentID)_\(MonotonicClock.nanoseconds() % 1_000_000).py"
        let folder = stubbornModule(entry: entry)
        let env = ["NEXUS_HOME": dir.path + "/home", "NO_COLOR": "1"]
        let nexus = try ChildProcess.spawn(
            [NexusBinary.path, "modules", "validate", folder],
            SpawnOptions(
                stdin: .null, stdout: .null, stderr: .null, environment: NexusBinary.environment(env),
                resetSignals: true))
        // The protocol check starts the adapter once the static checks pass: module code is running then.
        var running = false
        for _ in 0..<600 where !running {
            usleep(100_000)
            running = !RunningProcesses.naming("-- python3 \(entry)").isEmpty
        }
        if !running { kill(nexus, SIGKILL) }
        try #require(running, "the gate never started the module")
        usleep(1_500_000)
        #expect(RunningProcesses.naming(entry).count >= 2, "the adapter and the tests run in the sandbox")
        kill(nexus, SIGKILL)
        ChildProcess.wait(nexus)

        let left = RunningProcesses.leftAfter(5, naming: entry)
        #expect(left == 0, "\(left) sandboxed processes outlived the nexus running the gate")
    }
}
