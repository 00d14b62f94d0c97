import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// What a module may touch at run time: the manifest's `filesystem`, `env` and `limits`, the install
/// flags that write them, the paths no grant reaches, and how the jailer is asked to run the module.
@Suite struct ModuleRunTimeTests {
    static func manifest(_ extra: String) -> String {
        """
        {"name": "m", "version": "1.0.0", "category": "testing", "runtime": {"command": ["python3", "adapter.py"]},
         \(extra)}
        """
    }

    @Test func manifestDeclaresGrantsSettingsAndLimits() throws {
        let m = try ModuleManifest.parse(
            Self.manifest(
                #""filesystem": {"read": ["/srv/repo/"], "write": ["/srv/db.sqlite"]}, "env": {"ALLOWED_DIR": "/srv"}, "limits": {"memory_mb": 1024, "cpu_seconds": 0}"#
            ), file: "manifest.json")
        #expect(m.filesystem == .init(read: ["/srv/repo"], write: ["/srv/db.sqlite"]))
        #expect(m.env == ["ALLOWED_DIR": "/srv"])
        #expect(m.limits == .init(memoryMB: 1024, cpuSeconds: 0))
        let details = m.runTimeDetails.map { "\($0.label): \($0.value)" }
        #expect(
            details == [
                "reads: /srv/repo", "writes: /srv/db.sqlite", "settings: ALLOWED_DIR=/srv",
                "limits: memory 1024 MB, cpu time unlimited",
            ])
    }

    @Test(arguments: [
        (#""env": {"LD_PRELOAD": "/x.so"}"#, "env.LD_PRELOAD"),
        (#""env": {"PYTHONPATH": "/data"}"#, "env.PYTHONPATH"),
        (#""env": {"NEXUS_HOME": "/x"}"#, "env.NEXUS_HOME"),
        (#""env": {"PATH": "/x"}"#, "env.PATH"),
        (#""env": {"HOME": "/x"}"#, "env.HOME"),
        (#""env": {"https_proxy": "http://evil"}"#, "env.https_proxy"),
        (#""env": {"A B": "x"}"#, "env.A B"),
        (#""filesystem": {"read": ["relative/path"]}"#, "filesystem.read[0]"),
        (#""filesystem": {"write": ["/srv/../etc"]}"#, "filesystem.write[0]"),
        (#""filesystem": {"exec": ["/bin"]}"#, "filesystem.exec"),
        (#""limits": {"memory_mb": 4}"#, "limits.memory_mb"),
        (#""limits": {"cpu_seconds": -1}"#, "limits.cpu_seconds"),
        (#""credentials": [{"name": "k", "env": "PYTHONSTARTUP"}]"#, "credentials[0].env"),
    ])
    func manifestRefusesSettingsThatChangeWhatRuns(extra: String, field: String) {
        #expect(throws: ManifestError.self) { try ModuleManifest.parse(Self.manifest(extra), file: "manifest.json") }
        do {
            _ = try ModuleManifest.parse(Self.manifest(extra), file: "manifest.json")
        } catch {
            #expect(error.issues.first?.field == field, "\(error.userMessage)")
        }
    }

    @Test func slashWordsAndCommandLineFlagsBuildTheSameRequest() throws {
        let dir = TemporaryDirectory(prefix: "nexus-install-words")
        defer { dir.remove() }
        mkdir(dir.path + "/repo", 0o755)
        let words = [
            "mcp", "--name", "git", "--read", "repo", "--write=\(dir.path)/repo", "--env", "ALLOWED_DIR=/srv/a=b",
            "--memory", "1024", "--cpu-seconds=60", "--yes", "--", "python3", "-m", "mcp_server_git", "--repository",
            "x",
        ]
        let request = try InstallRequest(try InstallRequest.parse(words), workingDirectory: dir.path)
        var o = InstallRequest.Options(source: "mcp")
        o.name = "git"
        o.read = ["repo"]
        o.write = [dir.path + "/repo"]
        o.env = ["ALLOWED_DIR=/srv/a=b"]
        o.memoryMB = 1024
        o.cpuSeconds = 60
        o.yes = true
        o.command = ["python3", "-m", "mcp_server_git", "--repository", "x"]
        #expect(request == (try InstallRequest(o, workingDirectory: dir.path)))
        let real = try #require(ModuleFiles.realPath(dir.path + "/repo"))
        #expect(request.settings.read == [real] && request.settings.write == [real])
        #expect(
            request.settings.env.map(\.name) == ["ALLOWED_DIR"] && request.settings.env.map(\.value) == ["/srv/a=b"])
        #expect(request.approved)
        guard case .mcpCommand(let name, let command, _, _, _, _) = request.source else {
            Issue.record("not an mcp source")
            return
        }
        #expect(name == "git" && command.last == "x")
    }

    @Test(arguments: [
        (["mcp", "--", "python3"], "needs --name"),
        (["mcp", "--name", "x"], "needs the server command"),
        (["./folder", "--env", "LD_PRELOAD=/x.so"], "LD_PRELOAD"),
        (["./folder", "--env", "NOEQUALS"], "expected NAME=VALUE"),
        (["./folder", "--read", "/no/such/path/anywhere"], "does not exist"),
        (["./folder", "--memory", "lots"], "expected a whole number"),
        (["./folder", "--frobnicate", "1"], "unknown option --frobnicate"),
    ])
    func badInstallWordsAreRefusedWithOneLine(words: [String], message: String) {
        do {
            _ = try InstallRequest(try InstallRequest.parse(words), workingDirectory: "/tmp")
            Issue.record("accepted \(words)")
        } catch {
            #expect(error.userMessage.contains(message), "\(error.userMessage)")
            #expect(error.exitCode == .usage)
        }
    }

    @Test func installFlagsAreWrittenIntoTheApprovedManifestAndTheFolderIsUntouched() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let src = Fixtures.moduleFolder(in: f.dir, name: "flagged")
        let before = try ModuleFiles.read(src + "/manifest.json")
        let settings = InstallSettings(
            read: [f.dir.path], env: [("ALLOWED_DIR", f.dir.path)], memoryMB: 300, cpuSeconds: 90)
        let plan = try f.installer.prepare(.folder(src), settings: settings)
        #expect(plan.manifest.filesystem.read == [f.dir.path])
        #expect(plan.manifest.env == ["ALLOWED_DIR": f.dir.path])
        #expect(plan.manifest.limits == .init(memoryMB: 300, cpuSeconds: 90))
        let shown = f.installer.approvalRequest(for: plan).details.map { "\($0.label): \($0.value)" }
        #expect(shown.contains("reads: \(f.dir.path)"))
        #expect(shown.contains("settings: ALLOWED_DIR=\(f.dir.path)"))
        #expect(shown.contains("limits: memory 300 MB, cpu time 90 s"))
        let record = try await f.installer.install(plan, approval: FixedApprovals(.yes))
        #expect(try ModuleFiles.read(src + "/manifest.json") == before, "the user's folder is not rewritten")
        #expect(try ModuleManifest.load(folder: record.path).env == ["ALLOWED_DIR": f.dir.path])
    }

    @Test func protectedPathsAreNeverGranted() {
        let p = ProtectedPaths(
            userHome: "/home/ann", nexusHome: "/home/ann/.local/share/nexus", configDirectory: "/home/ann/.config/nexus"
        )
        #expect(p.problem("/home/ann")?.contains("home directory itself") == true)
        #expect(p.problem("/home/ann/")?.contains("home directory itself") == true)
        #expect(p.problem("/home")?.contains("home directory itself") == true)
        #expect(p.problem("/")?.contains("whole filesystem") == true)
        #expect(p.problem("/home/ann/.local/share/nexus")?.contains("nexus's home") == true)
        #expect(p.problem("/home/ann/.local/share/nexus/vault")?.contains("nexus's home") == true)
        #expect(p.problem("/home/ann/.local")?.contains("overlaps /home/ann/.local/share/nexus") == true)
        #expect(p.problem("/home/ann/.config/nexus/vault.key")?.contains("vault key") == true)
        #expect(p.problem("/home/ann/projects/repo") == nil)
        #expect(p.problem("/srv/data") == nil)
    }

    @Test func installRefusesAGrantOfTheHomeDirectoryWithOneLine() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let home = f.dir.path + "/home"
        mkdir(home, 0o755)
        let commands = ModuleCommands(
            host: f.host, installer: f.installer,
            protected: ProtectedPaths(
                userHome: home, nexusHome: f.dir.path + "/nexus", configDirectory: f.dir.path + "/cfg"))
        let src = Fixtures.moduleFolder(in: f.dir, name: "greedy")
        let r = await commands.execute(["install", src, "--read", home, "--yes"], approval: FixedApprovals(.no))
        #expect(r.status == .usage)
        #expect(r.text.hasPrefix("module greedy: cannot grant \(home): it is the home directory itself"), "\(r.text)")
        #expect(try f.registry.get("greedy") == nil, "nothing was installed")
    }

    @Test func slashInstallOfAnMCPCommandWorksLikeTheCommandLine() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let commands = ModuleCommands(host: f.host, installer: f.installer)
        let r = await commands.execute(
            ["install", "mcp", "--name", "slashmcp", "--", "python3", Fixtures.server, "normal"],
            approval: FixedApprovals(.yes))
        #expect(r.status == .success, "\(r.text)")
        #expect(r.text.hasPrefix("installed slashmcp 1.0.0"))
        #expect(r.text.contains("started: 11 tools"), "the install ran the handshake: \(r.text)")
    }

    @Test func anInstalledModuleThatCannotStartIsReportedAtOnceWithItsStderr() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let commands = ModuleCommands(host: f.host, installer: f.installer)
        let broken = f.dir.path + "/broken.py"
        f.dir.write(
            "broken.py", "import sys\nsys.stderr.write('ImportError: no module named fancy_dep\\n')\nsys.exit(3)\n")
        let r = await commands.execute(
            ["install", "mcp", "--name", "broken", "--", "python3", broken], approval: FixedApprovals(.yes))
        #expect(r.status == .failure)
        #expect(r.text.contains("installed broken, but it does not start"), "\(r.text)")
        #expect(r.text.contains("no module named fancy_dep"), "the stderr tail is shown: \(r.text)")
        #expect(r.text.contains("nexus modules test broken"), "the way out is named: \(r.text)")
        #expect(
            r.text.contains("see \(f.dir.path)/logs/modules/broken.log;"),
            "the log is named by its full path, not relative to a home the person cannot see: \(r.text)")
    }

    @Test func runtimeOfAPyenvVenvIsFollowedIntoItsBaseInterpreter() throws {
        guard let base = Self.pyenvPython() else {
            print("skipped: no pyenv interpreter under ~/.pyenv/versions")
            return
        }
        let dir = TemporaryDirectory(prefix: "nexus-pyenv-venv")
        defer { dir.remove() }
        let venv = dir.path + "/venv"
        try #require(
            Subprocess.run([base, "-m", "venv", "--without-pip", venv], environment: ["PATH": "/usr/bin:/bin"]).status
                == 0)
        let mounts = RuntimeMounts.resolve(program: venv + "/bin/python")
        let prefix = RuntimeMounts.parent(RuntimeMounts.parent(try #require(ModuleFiles.realPath(base))))
        #expect(mounts.readOnly.contains(try #require(ModuleFiles.realPath(venv))), "\(mounts.readOnly)")
        #expect(mounts.readOnly.contains(prefix), "the base interpreter's prefix: \(mounts.readOnly)")
        #expect(!mounts.readOnly.contains { $0 == "/root" || $0 == "/root/.pyenv" }, "never the home directory")
        #expect(mounts.binDirectory == (ModuleFiles.realPath(venv) ?? venv) + "/bin")
    }

    @Test func jailerIsToldTheRealHomeTheDataDirectoryTheGrantsAndTheLimits() throws {
        let dir = TemporaryDirectory(prefix: "nexus-jailspec")
        defer { dir.remove() }
        for d in ["/module", "/data", "/repo", "/venv", "/venv/bin"] { mkdir(dir.path + d, 0o755) }
        dir.write("module/adapter.py", "print(1)\n")
        dir.write("venv/pyvenv.cfg", "home = /usr/bin\n")
        dir.write("db.sqlite", "")
        let launcher = JailedLauncher(
            nexusExecutable: "/x/nexus", memoryMB: 512, cpuSeconds: 3600,
            host: .init(
                nexusHome: dir.path + "/nexus-home", configFile: dir.path + "/cfg/missing.toml", userHome: "/home/ann"))
        let spec = LaunchSpec(
            module: "m", command: [dir.path + "/venv/bin/python", "adapter.py", "--db", "db.sqlite"],
            workingDirectory: dir.path + "/module", environment: ["API_KEY": "s3cret", "ALLOWED_DIR": "/srv"],
            networkAllow: ["api.example.com"], dataDirectory: dir.path + "/data", readPaths: [dir.path + "/repo"],
            writePaths: [dir.path + "/db.sqlite"], memoryMB: 1024)
        let jailed = try launcher.jailedSpec(spec)
        let argv = jailed.command
        func value(after flag: String) -> [String] {
            argv.indices.filter { argv[$0] == flag && $0 + 1 < argv.count }.map { argv[$0 + 1] }
        }
        #expect(Array(argv.prefix(3)) == ["/x/nexus", "sandbox", "exec"])
        #expect(value(after: "--home") == [dir.path + "/nexus-home"])
        #expect(value(after: "--config").isEmpty, "a missing config file is not passed (it would be an error)")
        mkdir(dir.path + "/cfg", 0o700)
        dir.write("cfg/missing.toml", "")
        let withConfig = try launcher.jailedSpec(spec).command
        #expect(
            withConfig.contains("--config") && withConfig.contains(dir.path + "/cfg/missing.toml"),
            "the user's nexus.toml")
        #expect(argv.contains("--workspace-readonly"))
        #expect(value(after: "--data-dir") == [dir.path + "/data"])
        #expect(value(after: "--memory") == ["1024"] && value(after: "--cpu-seconds") == ["3600"])
        let real = { (p: String) in ModuleFiles.realPath(dir.path + p) ?? "" }
        #expect(value(after: "--ro-path").contains(real("/venv")))
        #expect(value(after: "--ro-path").contains(real("/repo")))
        #expect(value(after: "--rw-path") == [real("/db.sqlite")])
        #expect(!argv.contains("s3cret"), "secrets never reach the command line")
        #expect(Set(value(after: "--env")).isSuperset(of: ["API_KEY", "ALLOWED_DIR", "PATH", "PYTHONSAFEPATH"]))
        #expect(!value(after: "--env").contains("HOME"))
        let command = Array(argv[(try #require(argv.firstIndex(of: "--"))) + 1..<argv.count])
        #expect(command == [real("/venv") + "/bin/python", "/workspace/adapter.py", "--db", "db.sqlite"])
        #expect(jailed.environment["PATH"]?.hasPrefix(real("/venv") + "/bin:") == true, "the venv's bin comes first")
        #expect(jailed.environment["HOME"] == "/home/ann", "the jailer keeps the real home")
        #expect(jailed.environment["PYTHONNOUSERSITE"] == "1")
    }

    @Test func jailedLaunchRefusesAGrantOfNexussOwnHome() throws {
        let dir = TemporaryDirectory(prefix: "nexus-jailspec-refuse")
        defer { dir.remove() }
        mkdir(dir.path + "/nexus-home", 0o700)
        let launcher = JailedLauncher(
            nexusExecutable: "/x/nexus", memoryMB: 512,
            host: .init(nexusHome: dir.path + "/nexus-home", configFile: dir.path + "/c.toml", userHome: "/home/ann"))
        let spec = LaunchSpec(
            module: "m", command: ["python3", "a.py"], workingDirectory: dir.path, environment: [:], networkAllow: [],
            dataDirectory: dir.path, readPaths: [dir.path + "/nexus-home"])
        #expect(throws: LaunchError.self) { try launcher.jailedSpec(spec) }
    }

    @Test func nexusEndingAModuleIsNotReportedAsACrash() throws {
        let spec = LaunchSpec(
            module: "sleepy", command: ["/bin/sh", "-c", "trap '' TERM; exec sleep 30"], workingDirectory: "/tmp",
            environment: [:], networkAllow: [])
        let stopped = try DirectLauncher().launch(spec)
        stopped.endAndReap(graceMs: 200)
        #expect(stopped.exitDescription == "stopped by nexus")
        let crashed = try DirectLauncher().launch(
            LaunchSpec(
                module: "crashy", command: ["/bin/sh", "-c", "kill -9 $$"], workingDirectory: "/tmp", environment: [:],
                networkAllow: []))
        crashed.reap()
        #expect(crashed.exitDescription == "killed by signal 9")
        let jailerStyle = try DirectLauncher().launch(
            LaunchSpec(
                module: "j", command: ["/bin/sh", "-c", "exit 137"], workingDirectory: "/tmp", environment: [:],
                networkAllow: []))
        jailerStyle.reap()
        #expect(jailerStyle.exitDescription == "exit status 137", "an exit nexus did not ask for keeps its status")
    }

    @Test func aLimitThatEndedAModuleIsNamedWithItsKnob() {
        let jailer =
            "module m: process ended (exit status 137) during a call; stderr: nexus: sandbox: stopped by the memory limit (64 MB)"
        #expect(ModuleLimit.named(in: jailer) == "memory limit (64 MB)")
        let told = ModuleLimit.annotate(jailer)
        #expect(told.hasPrefix("the module was stopped by the memory limit (64 MB) (raise limits.memory_mb"), "\(told)")
        #expect(ModuleLimit.annotate(told) == told, "annotating twice changes nothing")
        let python = "module m: process ended (exit status 1) during a call; stderr: | MemoryError"
        #expect(
            ModuleLimit.annotate(python, memoryMB: 512).hasPrefix("the module was stopped by the memory limit (512 MB)")
        )
        #expect(ModuleLimit.annotate(python) == python, "no limit known, nothing claimed")
        let cpu = "stderr: nexus: sandbox: stopped by the cpu time limit (2 s)"
        #expect(ModuleLimit.annotate(cpu).contains("cpu_seconds"))
        #expect(ModuleLimit.named(in: "module m: process ended (exit status 3)") == nil)
    }

    @Test func relativeWordsOfTheCommandNameTheModuleFolder() {
        let dir = TemporaryDirectory(prefix: "nexus-anchor")
        defer { dir.remove() }
        dir.write("adapter.py", "")
        mkdir(dir.path + "/bin", 0o755)
        dir.write("bin/run", "")
        let anchored = ModuleCommandLine.anchored(
            ["python3", "adapter.py", "-m", "x", "./bin/run", "--flag", "missing.txt", "../adapter.py", "/abs"],
            folder: dir.path)
        #expect(
            anchored == [
                "python3", "/workspace/adapter.py", "-m", "x", "/workspace/bin/run", "--flag", "missing.txt",
                "../adapter.py", "/abs",
            ])
        #expect(ModuleCommandLine.anchored(["bin/run"], folder: dir.path) == ["/workspace/bin/run"])
        #expect(ModuleCommandLine.folderBin([".venv/bin/python", "a.py"]) == "/workspace/.venv/bin")
    }

    static func pyenvPython() -> String? {
        let root = "/root/.pyenv/versions"
        for v in ["3.11.7", "3.12.1", "3.13.0"] where access(root + "/\(v)/bin/python3", X_OK) == 0 {
            return root + "/\(v)/bin/python3"
        }
        return nil
    }
}
