import NexusCore
import NexusPOSIX
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The local model server nexus starts on first use never outlives it. It runs in its own process group (so a
/// Ctrl-C cancels the turn and never reaches it), and nexus stops it on a graceful exit; ended by SIGTERM (a
/// `timeout`, a closed terminal) nexus stopped nothing, and the server ran on holding its port, answering the next
/// nexus that found something listening there.
@Suite(.serialized) struct LocalModelServerLifetimeEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-local-lifetime")

    /// A stand-in for llama.cpp's server: listens on `--port`, ignores SIGTERM, notes the chat request it gets
    /// and never answers it.
    static let server = """
        import signal, socket, sys
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        args = sys.argv[1:]
        port = int(args[args.index("--port") + 1])
        marker = args[0]
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(8)
        held = []
        while True:
            c, _ = s.accept()
            held.append(c)
            if c.recv(65536):
                open(marker + "/asked", "w").close()
        """

    @Test func theLocalModelServerEndsWhenNexusIsTerminated() throws {
        try #require(NexusBinary.exists)
        defer { dir.remove() }
        let home = dir.path + "/home"
        try FileSystem.ensureDirectory(home + "/local-model/venv/bin")
        let model = dir.write("home/local-model/model.gguf", "GGUF")
        dir.write("home/local-model/model-path", model + "\n")
        let script = dir.write("fake-llama.py", Self.server)
        // Python ignores `-m llama_cpp.server`: the stand-in reads only its marker (the test's folder) and --port.
        let python = "#!/bin/sh\nshift 2\nexec /usr/bin/python3 '\(script)' '\(dir.path)' \"$@\"\n"
        dir.write("home/local-model/venv/bin/python", python, mode: 0o755)
        // A server left behind by a failure here is not left to the next test.
        defer { for pid in RunningProcesses.naming(script) { kill(pid, SIGKILL) } }
        let config = try LocalDefaultOnAFreePort.config(in: dir)
        let nexus = try ChildProcess.spawn(
            [NexusBinary.path, "-p", "hello"],
            SpawnOptions(
                stdin: .null, stdout: .null, stderr: .null,
                environment: NexusBinary.environment(["NEXUS_HOME": home, "NEXUS_CONFIG": config, "NO_COLOR": "1"]),
                resetSignals: true))
        var asked = false
        for _ in 0..<300 where !asked {
            usleep(100_000)
            asked = FileSystem.kind(of: dir.path + "/asked") == .file
        }
        try #require(asked, "nexus started the server and asked it")
        #expect(RunningProcesses.naming(script).count == 1)
        kill(nexus, SIGTERM)
        ChildProcess.wait(nexus)
        #expect(RunningProcesses.leftAfter(5, naming: script) == 0, "the local model server outlived nexus")
    }
}
