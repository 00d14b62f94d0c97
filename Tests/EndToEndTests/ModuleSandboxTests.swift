import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What a module may touch once installed, checked on the real binary with the real jailer: its own
/// folder is read-only, its data directory persists, its egress lands in the audit log, and a broken
/// module is reported at install time.
@Suite(.serialized) struct ModuleSandboxEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-modrun")

    func module(_ name: String, tools: String, manifestExtra: String = "") -> String {
        let manifest = ModuleFixture.manifest(
            name: name, displayName: name, description: "Test module.", className: "M")
        let withExtra =
            manifestExtra.isEmpty ? manifest : String(manifest.dropLast(2)) + ",\n  " + manifestExtra + "\n}\n"
        return ModuleFixture.folder(
            in: dir, name: name, manifest: withExtra,
            adapter: """
                import os, sys, urllib.request
                from nexus_adapter import BaseAdapter, register_adapter, serve, tool


                def attempt(fn):
                    try:
                        fn()
                        return "written"
                    except OSError as e:
                        return "refused"


                @register_adapter
                class M(BaseAdapter[dict]):
                    name = "\(name)"

                \(tools)


                if __name__ == "__main__":
                    serve(M)
                """)
    }

    @Test func moduleCannotWriteItsFolderOrPlantCodeButKeepsItsDataAcrossRestarts() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "scribe")
        let e = session.env
        let folder = module(
            "scribe",
            tools: """
                    @tool
                    def scribble(self) -> str:
                        \"\"\"Writes where it may and where it may not.\"\"\"
                        def own():
                            open("/workspace/evil.txt", "w").write("x")
                        def pyc():
                            os.makedirs("/workspace/__pycache__", exist_ok=True)
                            open("/workspace/__pycache__/adapter.cpython-311.pyc", "wb").write(b"planted")
                        def usersite():
                            d = os.path.expanduser("~/.local/lib/python%d.%d/site-packages" % sys.version_info[:2])
                            os.makedirs(d, exist_ok=True)
                            open(d + "/planted.pth", "w").write("import os; os.environ['PLANTED'] = 'yes'\\n")
                        path = os.path.join(os.environ["NEXUS_MODULE_DATA"], "count")
                        n = int(open(path).read()) + 1 if os.path.exists(path) else 1
                        open(path, "w").write(str(n))
                        return "own=%s pyc=%s usersite=%s count=%d cwd=%s planted=%s" % (
                            attempt(own), attempt(pyc), attempt(usersite), n, os.getcwd(), os.environ.get("PLANTED", "no"))
                """)
        let install = NexusBinary.run(["modules", "install", folder, "--yes"], env: e)
        try #require(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        let first = session.turn(tool: "scribe__scribble")
        #expect(first.contains("own=refused pyc=refused"), "\(first.suffix(400))")
        #expect(first.contains("count=1 cwd=/data planted=no"), "\(first.suffix(400))")
        // A second process: the module starts again from its approved files, with its data kept.
        let second = session.turn(tool: "scribe__scribble")
        #expect(
            second.contains("count=2 cwd=/data planted=no"),
            "the .pth planted in its data is not loaded: \(second.suffix(400))")
        let installed = dir.path + "/scribe/modules/testing/scribe"
        #expect(access(installed + "/evil.txt", F_OK) != 0)
        #expect(access(installed + "/__pycache__", F_OK) != 0)
        let data = dir.path + "/scribe/module-data/scribe"
        #expect((try? FileSystem.readText(data + "/count")) == "2")
        var st = stat()
        #expect(stat(data, &st) == 0 && st.st_mode & 0o777 == 0o700)
        let test = NexusBinary.run(["modules", "test", "scribe"], env: e)
        #expect(test.status == 0, "the approved files still match: \(test.stdout) \(test.stderr)")
    }

    @Test func moduleEgressAllowedAndBlockedIsWrittenToTheAuditLog() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let upstream = try FakeProviderServer()
        defer { upstream.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "fetcher")
        let e = session.env
        let folder = fetcherModule(allowing: upstream.port)
        let install = NexusBinary.run(["modules", "install", folder, "--yes"], env: e)
        try #require(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        let allowed = session.turn(tool: "fetcher__fetch", arguments: #"{"url":"\#(upstream.url)/v1/models"}"#)
        #expect(allowed.contains("status 200"), "\(allowed.suffix(400))")
        let blocked = session.turn(tool: "fetcher__fetch", arguments: #"{"url":"http://blocked.example.com/"}"#)
        #expect(blocked.contains("failed"), "\(blocked.suffix(400))")
        let audit = (try? FileSystem.readText(dir.path + "/fetcher/logs/sandbox-audit.jsonl")) ?? ""
        let lines = audit.split(separator: "\n").compactMap { try? JSONValue(parsing: Array($0.utf8)) }
        #expect(
            lines.contains { $0.serialized.contains("127.0.0.1") && $0.serialized.contains("allow") }, "audit: \(audit)"
        )
        #expect(lines.contains { $0.serialized.contains("blocked.example.com") }, "audit: \(audit)")
        #expect(!upstream.requests.isEmpty, "the allowed request reached the loopback upstream")
    }

    @Test func moduleThatCannotStartIsReportedByInstallWithItsStderrAndTheWayOut() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "broken")
        let e = session.env
        mkdir(dir.path + "/broken-src", 0o755)
        dir.write(
            "broken-src/broken.py",
            "import sys\nsys.stderr.write('ModuleNotFoundError: No module named fancy_dep\\n')\nsys.exit(3)\n")
        let r = NexusBinary.run(
            [
                "modules", "install", "mcp", "--name", "broken", "--read", dir.path + "/broken-src", "--yes", "--",
                "python3",
                dir.path + "/broken-src/broken.py",
            ], env: e)
        #expect(r.status != 0)
        #expect(r.stderr.contains("installed broken, but it does not start"), "\(r.stderr)")
        #expect(r.stderr.contains("No module named fancy_dep"), "the stderr tail: \(r.stderr)")
        #expect(r.stderr.contains("nexus modules test broken"), "the next step: \(r.stderr)")
        #expect(r.stderr.ranges(of: "hint:").count == 1, "one way out, said once: \(r.stderr)")
    }

    @Test func venvOfAPyenvInterpreterRunsInTheJail() throws {
        try #require(NexusBinary.exists)
        let python = NexusBinary.packageRoot + "/.build/test-venv-pyenv/bin/python3"
        guard
            Subprocess.run([python, "-c", "import mcp_server_time"], environment: ["PATH": "/usr/bin:/bin"]).status == 0
        else {
            print("skipped: .build/test-venv-pyenv has no mcp-server-time (scripts/setup.sh --test)")
            return
        }
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "pyenv")
        let e = session.env
        let asked = NexusBinary.run(
            ["modules", "install", "mcp", "--name", "time", "--", python, "-m", "mcp_server_time"], env: e)
        #expect(asked.stderr.contains("/.pyenv/versions/3.") && asked.stderr.contains("(read-only)"), "\(asked.stderr)")
        let install = NexusBinary.run(
            ["modules", "install", "mcp", "--name", "time", "--yes", "--", python, "-m", "mcp_server_time"], env: e)
        #expect(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        #expect(install.stdout.contains("started: 2 tools"), "\(install.stdout)")
        let answer = session.turn(tool: "time__get_current_time", arguments: #"{"timezone":"Asia/Tokyo"}"#)
        #expect(answer.contains("is_dst"), "\(answer.suffix(400))")
    }

    @Test func normalShutdownIsNotLoggedAsACrash() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "quiet")
        let e = session.env
        let folder = module(
            "quiet",
            tools: """
                    @tool
                    def hello(self) -> str:
                        \"\"\"Says hello.\"\"\"
                        return "hello"
                """)
        let install = NexusBinary.run(["modules", "install", folder, "--yes"], env: e)
        try #require(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        _ = session.turn(tool: "quiet__hello")
        let log = (try? FileSystem.readText(dir.path + "/quiet/logs/modules/quiet.log")) ?? ""
        #expect(log.contains("process ended"), "\(log)")
        #expect(!log.contains("exit status 137") && !log.contains("killed by signal"), "\(log)")
    }
}
