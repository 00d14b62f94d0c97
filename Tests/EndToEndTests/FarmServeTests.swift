import NexusPOSIX
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus farm serve` tells the person serving a scenario what credentials its server accepts, so the
/// build they run next (`--credential NAME=@FILE`) can be given them.
@Suite struct FarmServeEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-farm-serve")

    @Test func farmServeSaysWhichCredentialsTheScenarioAccepts() throws {
        try #require(NexusBinary.exists)
        mkdir(dir.path + "/farm", 0o755)
        mkdir(dir.path + "/farm/door", 0o755)
        // A server that says it listens and ends at once, so the command returns.
        dir.write("farm/door/server.py", "\"\"\"Scenario door: a door that wants a key.\"\"\"\nprint('served')\n")
        dir.write("farm/door/acceptance.json", #"{"credentials": {"door_key": "open-sesame"}, "calls": []}"#)
        let r = NexusBinary.run(["farm", "serve", "door"], env: ["NEXUS_FARM": dir.path + "/farm"], timeout: 30)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("served"))
        #expect(r.stderr.contains("door_key=open-sesame"), "the key to give the build: \(r.stderr)")
    }

    @Test func aPortInUseOrOutOfRangeIsSaidNotAPythonTraceback() throws {
        try #require(NexusBinary.exists)
        mkdir(dir.path + "/farm3", 0o755)
        mkdir(dir.path + "/farm3/door", 0o755)
        dir.write("farm3/door/server.py", "\"\"\"Scenario door: a door.\"\"\"\nprint('served')\n")
        dir.write("farm3/door/acceptance.json", #"{"calls": []}"#)
        let env = ["NEXUS_FARM": dir.path + "/farm3", "NEXUS_HOME": dir.path + "/home3"]
        let taken = try #require(LoopbackSocket.listen())
        defer { close(taken.fd) }
        let busy = NexusBinary.run(["farm", "serve", "door", "--port", String(taken.port)], env: env, timeout: 30)
        #expect(busy.status == 1, "\(busy.stderr)")
        #expect(busy.stderr.contains("127.0.0.1:\(taken.port) is already in use"), "\(busy.stderr)")
        #expect(!busy.stdout.contains("served") && !busy.stderr.contains("Traceback"), "\(busy.stderr)")
        let wild = NexusBinary.run(["farm", "serve", "door", "--port", "99999"], env: env, timeout: 30)
        #expect(wild.status == 2 && wild.stderr.contains("--port 99999: not a port"), "\(wild.stderr)")
    }

    @Test func aSIGTERMToFarmServeEndsTheServerToo() throws {
        try #require(NexusBinary.exists)
        mkdir(dir.path + "/farm2", 0o755)
        mkdir(dir.path + "/farm2/still", 0o755)
        let pidFile = dir.path + "/server.pid"
        // A server that says where it runs and then serves until it is told to stop.
        dir.write(
            "farm2/still/server.py",
            "\"\"\"Scenario still: serves until stopped.\"\"\"\nimport os, time\n"
                + "open(\(String(reflecting: pidFile)), 'w').write(str(os.getpid()))\ntime.sleep(120)\n")
        dir.write("farm2/still/acceptance.json", #"{"calls": []}"#)
        var env = NexusBinary.environment(["NEXUS_FARM": dir.path + "/farm2"])
        env["NEXUS_HOME"] = dir.path + "/home"
        let nexus = try ChildProcess.spawn(
            [NexusBinary.path, "farm", "serve", "still"],
            SpawnOptions(stdout: .null, stderr: .null, environment: env, resetSignals: true))
        var server: pid_t = 0
        for _ in 0..<200 where server == 0 {
            usleep(50_000)
            server = pid_t((try? FileSystem.readText(pidFile)).flatMap { Int32($0) } ?? 0)
        }
        try #require(server != 0, "the server never started")
        kill(nexus, SIGTERM)
        ChildProcess.wait(nexus)
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(server, 0) != 0
            if !gone { usleep(50_000) }
        }
        if !gone { kill(server, SIGKILL) }
        #expect(gone, "the farm server outlived the nexus that started it, holding its port")
    }
}
