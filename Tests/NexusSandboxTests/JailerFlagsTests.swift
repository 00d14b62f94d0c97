import Glibc
import NexusCore
import NexusSandbox
import NexusTesting
import Testing

/// Runs the built `nexus sandbox exec` (the real jailer, as modules get it) with the module flags.
enum Jail {
    static var built: Bool { access(HostileCorpusTests.nexus, X_OK) == 0 }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var result: SandboxResult?
    }

    /// `nexus sandbox exec ARGS -- COMMAND` with `--home`/`--config` in `dir`, capturing the result JSON.
    static func exec(
        _ args: [String], _ command: [String], in dir: String, environment: [String: String] = [:], timeout: Double = 60
    ) -> Run {
        let resultFile = dir + "/result-\(UInt32.random(in: 0...UInt32.max)).json"
        let argv =
            [
                HostileCorpusTests.nexus, "sandbox", "exec", "--home", dir + "/nexus-home", "--config",
                dir + "/cfg/nexus.toml",
            ]
            + args + ["--capture", "--result-json", resultFile, "--"] + command
        var env = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": dir + "/userhome"]
        for (k, v) in environment { env[k] = v }
        let r = Subprocess.run(argv, environment: env, timeout: timeout)
        let result = (try? readFile(resultFile)).flatMap { try? JSONValue(parsing: $0) }.flatMap(
            SandboxResult.init(json:))
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr, result: result)
    }

    /// A scratch tree with a user home, a nexus home and a config directory (holding vault.key).
    static func scratch() -> String {
        let dir = T.tempDir()
        for d in [
            "userhome", "userhome/projects", "userhome/projects/repo", "nexus-home", "nexus-home/module-data",
            "cfg", "grants",
        ] {
            mkdir(dir + "/" + d, 0o755)
        }
        _ = system("echo key > \(dir)/cfg/vault.key; echo '' > \(dir)/cfg/nexus.toml")
        return dir
    }
}

@Suite(.serialized) struct JailerFlagsTests {
    @Test func readOnlyWorkspaceRefusesWritesEvenInValidateMode() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        mkdir(dir + "/ws", 0o755)
        let script = "echo x > /workspace/planted.pyc && echo WROTE; cat /workspace/code.py"
        _ = system("echo 'print(1)' > \(dir)/ws/code.py")
        let ro = Jail.exec(
            ["--mode", "validate", "--workspace", dir + "/ws", "--workspace-readonly"], ["sh", "-c", script], in: dir)
        let r = try #require(ro.result, "\(ro.stderr)")
        #expect(!r.stdout.contains("WROTE") && r.stdout.contains("print(1)"), "\(r.stdout) \(r.stderr)")
        #expect(access(dir + "/ws/planted.pyc", F_OK) != 0)
        // Without the flag validate mode keeps its writable workspace.
        let rw = Jail.exec(["--mode", "validate", "--workspace", dir + "/ws"], ["sh", "-c", script], in: dir)
        #expect(rw.result?.stdout.contains("WROTE") == true)
    }

    @Test func dataDirectoryIsTheWritableWorkingDirectoryAndHomeAndPersistsOnTheHost() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let data = dir + "/nexus-home/module-data/demo"
        mkdir(data, 0o700)
        let run = Jail.exec(
            ["--mode", "validate", "--data-dir", data],
            ["sh", "-c", "pwd; echo $HOME $NEXUS_MODULE_DATA; echo kept > state.txt && echo WROTE"], in: dir)
        let r = try #require(run.result, "\(run.stderr)")
        #expect(r.stdout == "/data\n/data /data\nWROTE\n", "\(r.stderr)")
        #expect(try readFile(data + "/state.txt") == "kept\n")
        // The next run sees what the last one wrote.
        let again = Jail.exec(["--mode", "validate", "--data-dir", data], ["cat", "/data/state.txt"], in: dir)
        #expect(again.result?.stdout == "kept\n")
    }

    @Test func readWriteFileGrantIsWritableAndReadOnlyFileGrantIsNot() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let rwFile = dir + "/grants/db.sqlite"
        let roFile = dir + "/userhome/projects/repo/settings.json"
        _ = system("echo one > \(rwFile); echo one > \(roFile)")
        let script = "echo two >> \(rwFile) && echo RW-OK; echo two >> \(roFile) && echo RO-WROTE; cat \(roFile)"
        let run = Jail.exec(["--rw-path", rwFile, "--ro-path", roFile], ["sh", "-c", script], in: dir)
        let r = try #require(run.result, "\(run.stderr)")
        #expect(r.stdout.contains("RW-OK") && !r.stdout.contains("RO-WROTE") && r.stdout.contains("one"), "\(r.stderr)")
        #expect(try readFile(rwFile) == "one\ntwo\n")
        #expect(try readFile(roFile) == "one\n")
    }

    @Test func grantsOfTheHomeNexusHomeVaultKeyOrConfigAreRefusedWithOneLine() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let refused: [(String, String, String)] = [
            ("--ro-path", dir + "/userhome", "home directory itself"),
            ("--ro-path", dir, "contains the home directory"),
            ("--rw-path", dir + "/nexus-home", "overlaps"),
            ("--ro-path", dir + "/nexus-home/module-data", "overlaps"),
            ("--ro-path", dir + "/cfg/vault.key", "overlaps"),
            ("--rw-path", dir + "/cfg/nexus.toml", "overlaps"),
            ("--ro-path", dir + "/cfg", "overlaps"),
            ("--data-dir", dir + "/userhome", "home directory itself"),
            ("--data-dir", dir + "/cfg", "overlaps"),
        ]
        for (flag, path, why) in refused {
            let run = Jail.exec([flag, path], ["sh", "-c", "echo RAN"], in: dir)
            let first = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(run.status == ExitStatus.usage.rawValue, "\(flag) \(path): status \(run.status)")
            #expect(first.contains("\(flag) \(path)") && first.contains(why), "\(flag) \(path): \(run.stderr)")
            #expect(!run.stdout.contains("RAN") && run.result == nil)
        }
        // A grant inside the home directory is fine, and so is a data directory under module-data.
        mkdir(dir + "/nexus-home/module-data/m", 0o755)
        let ok = Jail.exec(
            ["--ro-path", dir + "/userhome/projects/repo", "--data-dir", dir + "/nexus-home/module-data/m"],
            ["sh", "-c", "ls -d \(dir)/userhome/projects/repo && echo RAN"], in: dir)
        #expect(ok.result?.stdout.contains("RAN") == true, "\(ok.stderr)")
    }

    @Test func cpuSecondsStopsABusyLoopAndTheResultNamesTheCPUTimeLimit() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let start = MonotonicClock.nanoseconds()
        let run = Jail.exec(
            ["--mode", "validate", "--timeout", "0", "--cpu-seconds", "1"], ["python3", "-c", "while True: pass"],
            in: dir)
        let r = try #require(run.result, "\(run.stderr)")
        #expect(r.limitHit == "cpu" && r.limitMessage == "cpu time limit (1 s)", "\(r.outcome) \(r.stderr)")
        #expect(run.stderr.contains("cpu time limit (1 s)"))
        #expect(MonotonicClock.millisSince(start) < 15_000)
    }

    @Test func cpuSecondsBoundsTheWholeProcessTreeNotEachProcess() throws {
        guard Jail.built, CgroupLimiter.v2Directory() != nil || CgroupLimiter.v1Directory(controller: "cpuacct") != nil
        else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        // Four processes of 1.5 s CPU each: RLIMIT_CPU (2 s a process) lets every one finish; the
        // sandbox's 2 s budget for the whole tree must not.
        let script = """
            import os, time
            os.fork(); os.fork()
            while time.process_time() < 1.5: pass
            print('done', flush=True)
            """
        let run = Jail.exec(
            ["--mode", "validate", "--timeout", "60", "--cpu-seconds", "2"], ["python3", "-c", script], in: dir)
        let r = try #require(run.result, "\(run.stderr)")
        #expect(r.limitHit == "cpu" && r.limitMessage == "cpu time limit (2 s)", "\(r.outcome) \(r.stdout)")
        #expect(r.stdout.split(separator: "\n").filter { $0 == "done" }.count < 4, "\(r.stdout)")
    }

    @Test func invocationWithEveryModuleFlagRunsThroughTheBuiltJailer() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        mkdir(dir + "/ws", 0o755)
        mkdir(dir + "/nexus-home/module-data/demo", 0o755)
        _ = system("echo code > \(dir)/ws/adapter.py; echo repo > \(dir)/userhome/projects/repo/README")
        var inv = JailInvocation(
            mode: .integration, workspace: dir + "/ws", timeout: 20,
            command: ["sh", "-c", "cat /workspace/adapter.py \(dir)/userhome/projects/repo/README; echo w > out; pwd"],
            capture: true)
        inv.home = dir + "/nexus-home"
        inv.config = dir + "/cfg/nexus.toml"
        inv.workspaceReadOnly = true
        inv.dataDir = dir + "/nexus-home/module-data/demo"
        inv.readOnlyPaths = [dir + "/userhome/projects/repo"]
        inv.readWritePaths = [dir + "/grants"]
        inv.cpuSeconds = 10
        inv.fileSizeMB = 8
        inv.label = "demo"
        let argv = inv.arguments(nexusExecutable: "nexus")
        #expect(argv.contains("--workspace-readonly") && argv.contains("--cpu-seconds") && argv.contains("--home"))
        let r = try JailClient.run(inv, nexusExecutable: HostileCorpusTests.nexus)
        #expect(r.stdout == "code\nrepo\n/data\n", "\(r.stderr) \(r.error ?? "")")
        #expect(try readFile(dir + "/nexus-home/module-data/demo/out") == "w\n")
        let audit = try readFile(dir + "/nexus-home/logs/sandbox-audit.jsonl")
        let run = #""kind":"sandbox_run","module":"demo","mode":"integration","outcome":"ok""#
        #expect(audit.contains(run), "\(audit)")
    }

    @Test func homeFlagDecidesTheAuditLogWhateverHOMESays() throws {
        guard Jail.built else { return }
        let server = try #require(T.HTTPServer(body: "ok"))
        defer { server.stop() }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let script = "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:\(server.port)/a').read())"
        let run = Jail.exec(
            ["--mode", "integration", "--allow-host", "127.0.0.1:\(server.port)"], ["python3", "-c", script], in: dir)
        #expect(run.result?.network.count == 1, "\(run.stderr)")
        #expect(try readFile(dir + "/nexus-home/logs/sandbox-audit.jsonl").contains("\"path\":\"/a\""))
        #expect(access(dir + "/userhome/.local", F_OK) != 0)
    }

    @Test func fileSizeLimitIsSettableAndNamedWhenHit() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let run = Jail.exec(
            ["--file-size-mb", "1"], ["python3", "-c", "open('/tmp/big', 'wb').write(b'x' * (2 << 20))"], in: dir)
        let r = try #require(run.result, "\(run.stderr)")
        #expect(r.limitHit == "file_size" && r.limitMessage == "file size limit (1 MB)", "\(r.stderr)")
    }
}
