import NexusPOSIX
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Children are started the way their options say, with real processes, pipes and terminals.
@Suite struct ChildProcessTests {
    /// Runs `argv` with stdout (and stderr, merged) on a pipe; returns what it printed and how it ended.
    func capture(_ argv: [String], _ options: SpawnOptions = SpawnOptions()) throws -> (String, WaitStatus) {
        let pipe = try #require(GNULibC.cloexecPipe())
        var o = options
        o.stdout = .descriptor(pipe[1])
        o.stderr = .sameAsStdout
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(argv, o)
        } catch {
            close(pipe[0])
            close(pipe[1])
            throw error
        }
        close(pipe[1])
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buf.withUnsafeMutableBytes { read(pipe[0], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        close(pipe[0])
        return (String(decoding: out, as: UTF8.self), ChildProcess.wait(pid))
    }

    @Test func childGetsExactlyTheGivenEnvironment() throws {
        let (out, status) = try capture(["/usr/bin/env"], SpawnOptions(environment: ["ONLY": "this", "B": "2"]))
        #expect(status.exitCode == 0)
        #expect(out == "B=2\nONLY=this\n")
    }

    @Test func childInheritsTheEnvironmentWhenNoneIsGiven() throws {
        setenv("NEXUS_POSIX_TEST_MARK", "inherited", 1)
        let (out, _) = try capture(["/usr/bin/env"])
        #expect(out.contains("NEXUS_POSIX_TEST_MARK=inherited"))
    }

    @Test func childRunsInTheGivenDirectory() throws {
        let (out, _) = try capture(["/bin/pwd"], SpawnOptions(directory: "/tmp"))
        #expect(out == "/tmp\n")
    }

    @Test func programIsFoundOnPathOnlyWhenAsked() throws {
        let (out, status) = try capture(["echo", "found"], SpawnOptions(searchPath: true))
        #expect(status.exitCode == 0)
        #expect(out == "found\n")
        #expect(throws: SpawnError.self) { try ChildProcess.spawn(["echo", "x"]) }
    }

    @Test func missingProgramIsAnErrorNamingIt() {
        do {
            _ = try ChildProcess.spawn(["/nonexistent/nexus-test-program"])
            Issue.record("spawning a missing program succeeded")
        } catch {
            #expect(error.description.contains("/nonexistent/nexus-test-program"))
            #expect(error.description.contains("No such file"))
        }
    }

    @Test func appendingStreamCreatesAPrivateFileAndStderrFollowsStdout() throws {
        let path = "/tmp/nexus-posix-test-\(getpid()).log"
        defer { unlink(path) }
        for word in ["one", "two"] {
            let pid = try ChildProcess.spawn(
                ["/bin/sh", "-c", "echo \(word); echo \(word)-err >&2"],
                SpawnOptions(stdin: .null, stdout: .appending(path: path), stderr: .sameAsStdout))
            #expect(ChildProcess.wait(pid).exitCode == 0)
        }
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 256)
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        #expect(String(decoding: buf[0..<max(0, n)], as: UTF8.self) == "one\none-err\ntwo\ntwo-err\n")
    }

    @Test func newProcessGroupChildLeadsItsOwnGroup() throws {
        let pid = try ChildProcess.spawn(["/bin/sleep", "5"], SpawnOptions(grouping: .newProcessGroup))
        #expect(getpgid(pid) == pid)
        kill(-pid, SIGKILL)
        #expect(ChildProcess.wait(pid).signal == SIGKILL)
    }

    @Test func resetSignalsUndoesAnIgnoredSIGPIPE() throws {
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        func ignoresSIGPIPE(_ options: SpawnOptions) throws -> Bool {
            let (out, _) = try capture(["/bin/sh", "-c", "grep SigIgn /proc/self/status"], options)
            let hex = out.split(separator: "\t").last.map { $0.trimmingPrefix(" ") }?.prefix { $0.isHexDigit } ?? ""
            let mask = UInt64(hex, radix: 16) ?? 0
            return mask & (1 << UInt64(SIGPIPE - 1)) != 0
        }
        #expect(try ignoresSIGPIPE(SpawnOptions()), "an ignored signal stays ignored across exec by default")
        #expect(try !ignoresSIGPIPE(SpawnOptions(resetSignals: true)))
    }

    @Test func waitStatusDecodesExitCodesAndSignals() throws {
        let exited = ChildProcess.wait(try ChildProcess.spawn(["/bin/sh", "-c", "exit 3"]))
        #expect(exited.exitCode == 3 && exited.signal == nil && exited.shellCode == 3)
        #expect(exited.description == "exit status 3")
        let killed = ChildProcess.wait(try ChildProcess.spawn(["/bin/sh", "-c", "kill -9 $$"]))
        #expect(killed.exitCode == nil && killed.signal == 9 && killed.shellCode == 137)
        #expect(killed.description == "killed by signal 9")
    }

    @Test func reapKillsAChildThatOutstaysItsGrace() throws {
        let pid = try ChildProcess.spawn(["/bin/sleep", "30"])
        let status = ChildProcess.reap(pid, within: 0.1)
        #expect(status.signal == SIGKILL)
        let quick = try ChildProcess.spawn(["/bin/true"])
        #expect(ChildProcess.reap(quick, within: 2).exitCode == 0)
    }

    @Test func childOnAPseudoTerminalSeesATerminal() throws {
        let pty = try #require(PseudoTerminalPair())
        defer { pty.close() }
        let pid = try ChildProcess.spawn(
            ["/bin/sh", "-c", "test -t 0 && test -t 1 && echo on-a-tty"],
            pty.childOptions(environment: ["PATH": "/usr/bin:/bin"]))
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 256)
        for _ in 0..<100 where !String(decoding: out, as: UTF8.self).contains("on-a-tty") {
            var p = pollfd(fd: pty.master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) >= 0 else { break }
            if p.revents & Int16(POLLIN) != 0 {
                let n = buf.withUnsafeMutableBytes { read(pty.master, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                out += buf[0..<n]
            }
        }
        #expect(ChildProcess.wait(pid).exitCode == 0)
        #expect(String(decoding: out, as: UTF8.self).contains("on-a-tty"))
    }

    @Test func cStringArrayPassesEveryArgumentIntact() throws {
        let args = ["/bin/sh", "-c", "printf '%s|' \"$@\"", "sh", "a b", "", "ünï", "x=y"]
        let (out, _) = try capture(args)
        #expect(out == "a b||ünï|x=y|")
    }

    @Test func aPassedSocketIsTheChildsDescriptor3AndNothingElseLeaksIn() throws {
        // The admin front's channel: one socketpair end at fd 3; a descriptor the parent opened without
        // close-on-exec (a leak elsewhere in nexus) must not reach the child.
        let pair = try #require(SocketPair.make())
        let leaked = open("/dev/null", O_RDONLY)  // deliberately not close-on-exec
        defer {
            close(leaked)
            close(pair.parentEnd)
        }
        var o = SpawnOptions()
        o.passing = [.init(source: pair.childEnd, target: 3)]
        o.closeOthers = true
        let (out, status) = try capture(["/bin/sh", "-c", "ls /proc/$$/fd; echo hi >&3"], o)
        close(pair.childEnd)
        #expect(status.exitCode == 0)
        let fds = Set(out.split(separator: "\n").compactMap { Int($0) })
        #expect(fds.isSubset(of: [0, 1, 2, 3, 10]), "\(fds): only the standard streams and the channel")
        #expect(fds.contains(3))
        #expect(!fds.contains(Int(leaked)) || leaked <= 3)
        var buf = [UInt8](repeating: 0, count: 16)
        #expect(read(pair.parentEnd, &buf, 16) == 3)
    }
}
