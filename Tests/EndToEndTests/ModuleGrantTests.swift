import NexusCore
import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Real MCP servers from PyPI given the paths and settings a user would give them at install
/// (`--read`, `--write`, `--env`), called through real turns in the jail.
@Suite(.serialized) struct ModuleGrantEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-grants")

    @Test func gitServerReadsARepositoryGrantedAtInstallThroughATurn() throws {
        try #require(NexusBinary.exists)
        guard let python = ModuleSession.venv("test-venv", has: "mcp_server_git") else {
            print("skipped: mcp-server-git is not installed in .build/test-venv (scripts/setup.sh --test)")
            return
        }
        let repo = dir.path + "/repo"
        mkdir(repo, 0o755)
        let git = [
            "PATH": "/usr/bin:/bin", "HOME": dir.path, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        ]
        dir.write("repo/README", "hello\n")
        for args in [
            ["init", "-q"], ["add", "README"], ["commit", "-q", "-m", "First commit of the granted repository"],
        ] {
            try #require(Subprocess.run(["/usr/bin/git", "-C", repo] + args, environment: git).status == 0)
        }
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "git")
        let e = session.env
        // The repository belongs to another uid inside the jail; nexus tells git that granted trees are safe,
        // so a user needs no setting of their own (a git_log failed with "dubious ownership").
        let words = ["modules", "install", "mcp", "--name", "git", "--read", repo]
        let command = ["--", python, "-m", "mcp_server_git", "--repository", repo]
        let asked = NexusBinary.run(words + command, env: e)
        #expect(asked.status == 3, "no terminal to ask: not approved")
        #expect(asked.stderr.contains("reads: \(repo)"), "the grant is shown in the approval: \(asked.stderr)")
        let install = NexusBinary.run(words + ["--yes"] + command, env: e)
        #expect(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        let answer = session.turn(tool: "git__git_log", arguments: #"{"repo_path":"\#(repo)","max_count":5}"#)
        #expect(answer.contains("First commit of the granted repository"), "\(answer.suffix(600))")
    }

    @Test func sqliteServerQueriesADatabaseGrantedForWriting() throws {
        try #require(NexusBinary.exists)
        guard let python = ModuleSession.venv("test-venv-sqlite", has: "mcp_server_sqlite") else {
            print("skipped: mcp-server-sqlite is not installed in .build/test-venv-sqlite (scripts/setup.sh --test)")
            return
        }
        let folder = dir.path + "/db"
        mkdir(folder, 0o755)
        let db = folder + "/pets.db"
        let make =
            "import sqlite3; c = sqlite3.connect('\(db)'); c.execute('create table pets (name text)'); "
            + "c.execute(\"insert into pets values ('Biscuit-the-granted-cat')\"); c.commit()"
        try #require(
            Subprocess.run(["/usr/bin/python3", "-c", make], environment: ["PATH": "/usr/bin:/bin"]).status == 0)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "sqlite")
        let e = session.env
        let bin = python.dropLast("python3".count) + "mcp-server-sqlite"
        let install = NexusBinary.run(
            [
                "modules", "install", "mcp", "--name", "pets", "--write", folder, "--yes", "--", String(bin),
                "--db-path", db,
            ],
            env: e)
        #expect(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        let answer = session.turn(tool: "pets__read_query", arguments: #"{"query":"SELECT name FROM pets"}"#)
        #expect(answer.contains("Biscuit-the-granted-cat"), "\(answer.suffix(600))")
        let write = session.turn(
            tool: "pets__write_query", arguments: #"{"query":"INSERT INTO pets VALUES ('Second-pet')"}"#)
        #expect(!write.contains("readonly database"), "\(write.suffix(600))")
        let check = Subprocess.run(
            [
                "/usr/bin/python3", "-c",
                "import sqlite3; print(sqlite3.connect('\(db)').execute('select count(*) from pets').fetchone()[0])",
            ],
            environment: ["PATH": "/usr/bin:/bin"])
        #expect(check.stdout == "2\n", "the write reached the host file: \(check.stdout) \(check.stderr)")
    }

    @Test func settingsReachTheModuleAndAGrantOfTheHomeDirectoryIsRefused() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "settings")
        let e = session.env
        mkdir(dir.path + "/echo-src", 0o755)
        dir.write("echo-src/echo.py", Self.echoServer)
        let home = dir.path + "/home"
        mkdir(home, 0o755)
        var withHome = e
        withHome["HOME"] = home
        let refused = NexusBinary.run(
            ["modules", "install", "mcp", "--name", "greedy", "--read", home, "--yes", "--", "python3", "/x.py"],
            env: withHome)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("cannot grant \(home): it is the home directory itself"), "\(refused.stderr)")
        let reserved = NexusBinary.run(
            ["modules", "install", "mcp", "--name", "x", "--env", "LD_PRELOAD=/tmp/x.so", "--yes", "--", "python3"],
            env: e)
        #expect(reserved.status == 2 && reserved.stderr.contains("LD_PRELOAD"), "\(reserved.stderr)")
        let words = [
            "modules", "install", "mcp", "--name", "echo", "--read", dir.path + "/echo-src", "--env",
            "ALLOWED_DIR=/srv/shared", "--memory", "300",
        ]
        // A venv's python: its bin directory comes first on PATH, so the server can run what it installed.
        let python = ModuleSession.venv("test-venv", has: "json") ?? "python3"
        let command = ["--", python, dir.path + "/echo-src/echo.py"]
        let asked = NexusBinary.run(words + command, env: e)
        #expect(asked.status == 3)
        #expect(asked.stderr.contains("settings: ALLOWED_DIR=/srv/shared"), "shown in the approval: \(asked.stderr)")
        #expect(asked.stderr.contains("limits: memory 300 MB"), "\(asked.stderr)")
        let install = NexusBinary.run(words + ["--yes"] + command, env: e)
        #expect(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        let answer = session.turn(tool: "echo__where", arguments: "{}")
        #expect(answer.contains("ALLOWED_DIR=/srv/shared"), "not redacted, passed as is: \(answer.suffix(400))")
        if python.hasPrefix("/") {
            let bin =
                (realpath(NexusBinary.packageRoot + "/.build/test-venv", nil).map { p in
                    defer { free(p) }
                    return String(cString: p)
                } ?? "") + "/bin"
            #expect(answer.contains("PATH=\(bin):/usr/local/bin:/usr/bin:/bin"), "\(answer.suffix(400))")
        }
    }

    @Test func lineModeInstallAsksForTheDeclaredCredentialLikeTheCommandLine() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "creds")
        let e = session.env
        mkdir(dir.path + "/keyed-src", 0o755)
        // It will not start without its credential, so the start check after the prompt proves it got it.
        dir.write(
            "keyed-src/server.py",
            "import os, sys\nif not os.environ.get('KEYED_TOKEN'):\n    sys.exit('KEYED_TOKEN missing')\n"
                + Self.echoServer)
        let r = NexusBinary.run(
            ["--plain"],
            stdin: "/modules install mcp --name keyed --credential KEYED_TOKEN --read \(dir.path)/keyed-src --yes -- "
                + "python3 \(dir.path)/keyed-src/server.py\nsk-live-0123456789abcdef\n",
            env: e)
        #expect(
            r.stdout.contains("installed keyed 1.0.0") || r.stderr.contains("installed keyed 1.0.0"),
            "\(r.stdout) \(r.stderr)")
        #expect(
            r.stdout.contains("started: 1 tool"), "the module started with its new credential: \(r.stdout) \(r.stderr)")
        #expect(!r.stdout.contains("no module folder here") && !r.stderr.contains("no module folder here"))
        let list = NexusBinary.run(["creds", "list"], env: e)
        #expect(
            list.stdout.contains("keyed") && list.stdout.contains("KEYED_TOKEN"),  // names keep their case
            "stored: \(list.stdout) \(list.stderr)")
        #expect(!r.stdout.contains("sk-live-0123456789abcdef"), "the value is never echoed")
    }

    @Test func aModuleThatHitsItsMemoryOrCPULimitIsToldSoInTheToolResultAndDoctor() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "hog")
        let e = session.env
        mkdir(dir.path + "/hog-src", 0o755)
        dir.write("hog-src/hog.py", Self.hogServer)
        let install = NexusBinary.run(
            [
                "modules", "install", "mcp", "--name", "hog", "--read", dir.path + "/hog-src", "--memory", "64",
                "--cpu-seconds", "2", "--yes", "--", "python3", dir.path + "/hog-src/hog.py",
            ], env: e)
        try #require(install.status == 0, "install: \(install.stdout) \(install.stderr)")
        let memory = session.turn(tool: "hog__hog", arguments: "{}")
        #expect(memory.contains("memory limit (64 MB)"), "\(memory.suffix(800))")
        let doctor = NexusBinary.run(["doctor"], env: e)
        #expect(doctor.stdout.contains("memory limit (64 MB)"), "\(doctor.stdout)")
        let cpu = session.turn(tool: "hog__spin", arguments: "{}")
        #expect(cpu.contains("cpu time limit (2 s)"), "\(cpu.suffix(800))")
    }

    /// An MCP server whose `hog` tool eats memory and whose `spin` tool eats CPU, until stopped.
    static let hogServer = ModuleSession.stubServer(
        tools: ["hog", "spin"],
        call: """
            chunks = []
            while name == "hog":
                chunks.append(bytearray(8 << 20))
                for i in range(0, len(chunks[-1]), 4096):
                    chunks[-1][i] = 1
            while True:
                pass
            """)

    /// A minimal MCP server with one tool, `where`, that reports its settings.
    static let echoServer = ModuleSession.stubServer(
        tools: ["where"],
        call: """
            text = "ALLOWED_DIR=%s PATH=%s" % (os.environ.get("ALLOWED_DIR"), os.environ.get("PATH"))
            """)
}
