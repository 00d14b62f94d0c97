import NexusCore
import NexusPOSIX
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A module process never outlives the nexus that started it, however nexus ends. A graceful exit closes the
/// module's stdin and signals it; a nexus killed with SIGKILL (or crashed) does neither, and the jailer, its own
/// process, went on supervising a module that ignored the end of its stdin: unsupervised, with its network
/// allowlist, for up to its CPU limit (an hour by default) or forever while it sleeps. Without the sandbox
/// (`NEXUS_SANDBOX=off`, `unsandboxed`) no jailer watches nexus at all: the module itself is tethered
/// (`ChildProcess.spawnTethered`, its parent-death signal armed).
@Suite(.serialized) struct ModuleOutlivesNexusEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-orphan")

    @Test(arguments: [false, true])
    func aModuleThatIgnoresTheEndOfItsInputEndsWhenNexusIsKilled(unsandboxed: Bool) throws {
        try #require(NexusBinary.exists)
        defer { dir.remove() }
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: unsandboxed ? "home-off" : "home")
        var env = session.env
        if unsandboxed { env["NEXUS_SANDBOX"] = "off" }
        let heartbeat = session.home + "/module-data/stubborn/heartbeat"
        // The call leaves a line of its own: the install check's start may have written beats before the session.
        let call = "open(os.environ['NEXUS_MODULE_DATA'] + '/heartbeat', 'a').write('called\\n'); text = 'started'"
        let folder = ModuleFixture.folder(
            in: dir, name: "stubborn",
            manifest: ModuleFixture.manifest(
                name: "stubborn", displayName: "Stubborn", description: "Ignores every way to end it.",
                className: "S"),
            adapter: """
                # The hostile part: no SIGTERM, no SIGHUP, and the end of stdin is not the end.
                import signal, time
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                signal.signal(signal.SIGHUP, signal.SIG_IGN)

                """ + ModuleSession.stubServer(tools: ["start"], call: call) + """

                    while True:
                        with open(os.environ["NEXUS_MODULE_DATA"] + "/heartbeat", "a") as f:
                            f.write("beat\\n")
                        time.sleep(0.2)
                    """)
        let install = NexusBinary.run(["modules", "install", folder, "--yes"], env: env)
        try #require(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        let installed = session.home + "/modules/testing/stubborn"
        #expect(RunningProcesses.leftAfter(5, naming: installed) == 0, "install stopped the module it started")

        // A session in line mode calls the tool once and then waits for its next line, the module idle beside it.
        server.enqueue(.toolCall(name: "stubborn__start", arguments: "{}"), .text("ok"))
        var input: [Int32] = [-1, -1]
        try #require(pipe(&input) == 0)
        defer { close(input[1]) }
        let nexus = try ChildProcess.spawn(
            [NexusBinary.path, "--plain"],
            SpawnOptions(
                stdin: .descriptor(input[0]), stdout: .null, stderr: .null,
                environment: NexusBinary.environment(env), resetSignals: true))
        close(input[0])
        _ = Descriptor.writeAll(input[1], Array("go\n".utf8))
        var answered = false
        for _ in 0..<300 where !answered {
            usleep(100_000)
            // Jailed: the jailer and the module; unsandboxed: the module alone.
            answered =
                server.chatRequests.count >= 2 && RunningProcesses.naming(installed).count >= (unsandboxed ? 1 : 2)
        }
        try #require(answered, "the turn never called the module")
        kill(nexus, SIGKILL)
        ChildProcess.wait(nexus)

        let left = RunningProcesses.leftAfter(5, naming: installed)
        #expect(left == 0, "\(left) processes of the module outlived the nexus that started it")
        let beats = (try? FileSystem.readText(heartbeat))?.split(separator: "\n").count ?? 0
        usleep(600_000)
        let later = (try? FileSystem.readText(heartbeat))?.split(separator: "\n").count ?? 0
        #expect(beats > 0, "the module ran")
        #expect(
            (try? FileSystem.readText(heartbeat))?.contains("called") == true, "the session's module was called")
        #expect(later == beats, "the module stopped beating once nexus was gone")
    }
}
