import NexusPOSIX
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A tethered child (`ChildProcess.spawnTethered`, what the unsandboxed module launcher starts) has the
/// parent-death signal armed, and keeps running when the thread that asked for it ends: Linux sends that
/// signal when the forking *thread* ends, and Swift's pool threads end when idle. (That it dies with the
/// process is specified end to end: `ModuleOutlivesNexusEndToEnd`, unsandboxed.)
@Suite struct TetheredChildSpecs {
    /// What `argv` printed, started tethered with stdout on a pipe.
    func output(_ argv: [String]) throws -> String {
        let pipe = try #require(GNULibC.cloexecPipe())
        let pid = try ChildProcess.spawnTethered(argv, SpawnOptions(stdout: .descriptor(pipe[1]), resetSignals: true))
        close(pipe[1])
        let out = Descriptor.readToEnd(pipe[0])
        close(pipe[0])
        ChildProcess.wait(pid)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func aTetheredChildHasSIGKILLArmedForWhenItsParentEnds() throws {
        let script = "import ctypes; c = ctypes.c_int(); ctypes.CDLL(None).prctl(2, ctypes.byref(c)); print(c.value)"
        #expect(try output(["/usr/bin/python3", "-c", script]) == "\(SIGKILL)\n")
        #expect(try output(["/bin/sh", "-c", "echo $PPID"]) == "\(ProcessControl.currentID)\n", "nexus is its parent")
    }

    @Test func aTetheredChildOutlivesTheThreadThatAskedForIt() async throws {
        let pid = await DetachedThread.run { () -> pid_t in
            (try? ChildProcess.spawnTethered(["/bin/sleep", "30"], SpawnOptions(stdin: .null))) ?? -1
        }
        try #require(pid > 0)
        // The thread above has ended; a child forked by it would have been killed by now.
        try await Task.sleep(for: .milliseconds(400))
        var status: Int32 = 0
        #expect(waitpid(pid, &status, WNOHANG) == 0, "the child is still running")
        kill(pid, SIGKILL)
        ChildProcess.wait(pid)
    }

    @Test func aProgramThatCannotRunIsAnErrorNamingIt() {
        #expect(throws: SpawnError.self) { try ChildProcess.spawnTethered(["/nonexistent/program"]) }
        do {
            _ = try ChildProcess.spawnTethered(["/nonexistent/program"])
        } catch {
            #expect(error.description == "cannot start /nonexistent/program: No such file or directory")
        }
    }
}
