import Glibc
import NexusPOSIX
import NexusTesting
import Testing

/// The built binary serving (issue 16 item 4): `nexus serve` answers on loopback with a private token, and
/// a chat asked to serve on a port already taken says so in one warning and still chats.
@Suite(.serialized) struct ServeSpecs {
    static let binary = ShippedConfigSpecs.root + "/.build/debug/nexus"

    /// A nexus.toml routing simple queries to `fake` over the OpenAI wire, written into `dir`.
    static func fakeProviderConfig(_ dir: TemporaryDirectory, _ fake: FakeProviderServer) -> String {
        dir.write(
            "nexus.toml",
            """
            [providers.fake]
            kind = "openai"
            base_url = "\(fake.baseURL(for: .openai))"
            max_retries = 0

            [routing]
            simple_query = "fake:fake-model"
            """)
    }

    @Test func nexusServeAnswersAndAChatOnATakenPortStillChats() async throws {
        try #require(access(Self.binary, X_OK) == 0, "build nexus first: swift build")
        let fake = try FakeProviderServer()
        fake.enqueue(.text("still ", "chatting"))
        let dir = TemporaryDirectory(prefix: "nexus-serve")
        defer { dir.remove() }
        let config = Self.fakeProviderConfig(dir, fake)
        let home = dir.path + "/home"
        let port = FreePort.loopback()
        let log = dir.path + "/serve.log"
        let env = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "NEXUS_BUILTIN_MODULES": ""]
        let pid = try ChildProcess.spawn(
            [Self.binary, "serve", "--home", home, "--config", config, "--admin-port", String(port)],
            SpawnOptions(stdin: .null, stdout: .appending(path: log), stderr: .appending(path: log), environment: env))
        defer {
            kill(pid, SIGINT)
            _ = ChildProcess.reap(pid, within: 10)
        }
        let http = RawHTTP(port: port)
        var health: RawHTTP.Reply?
        for _ in 0..<80 {
            health = http.send("GET", "/healthz")
            if health != nil { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        #expect(health?.status == 200)
        var st = stat()
        #expect(stat(home + "/admin.token", &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
        let token = String(decoding: try FileBytes.read(home + "/admin.token").filter { $0 != 10 }, as: UTF8.self)
        let routing = http.send("GET", "/v1/routing", headers: ["Authorization": "Bearer \(token)"])
        #expect(routing?.status == 200)
        #expect(routing?.body.contains("fake:fake-model") == true)

        let chat = Subprocess.run(
            [Self.binary, "-p", "hi", "--home", home, "--config", config, "--admin-port", String(port)],
            environment: env, timeout: 60)
        #expect(chat.stderr.contains("admin server: 127.0.0.1:\(port) is already in use"), "\(chat.stderr)")
        #expect(chat.stdout.contains("still chatting"), "\(chat.stdout)")
        #expect(chat.status == 0)
        let served = String(decoding: try FileBytes.read(log), as: UTF8.self)
        #expect(served.contains("admin API on http://127.0.0.1:\(port)"))
        #expect(!served.contains(token) && !chat.stderr.contains(token) && !chat.stdout.contains(token))
    }

    @Test func aChatWithAdminPortZeroSaysWhichPortTheSystemChose() async throws {
        try #require(access(Self.binary, X_OK) == 0, "build nexus first: swift build")
        let fake = try FakeProviderServer()
        fake.enqueue(.text("served ", "chat"))
        let dir = TemporaryDirectory(prefix: "nexus-port0")
        defer { dir.remove() }
        let config = Self.fakeProviderConfig(dir, fake)
        let env = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "NEXUS_BUILTIN_MODULES": ""]
        let chat = Subprocess.run(
            [Self.binary, "-p", "hi", "--home", dir.path + "/home", "--config", config, "--admin-port", "0"],
            environment: env, timeout: 60)
        #expect(chat.status == 0)
        #expect(chat.stdout.contains("served chat"), "\(chat.stdout)")
        let said = chat.stdout + chat.stderr
        let marker = "admin API on http://127.0.0.1:"
        let port = said.ranges(of: marker).first.map { r in Int(said[r.upperBound...].prefix { $0.isNumber }) ?? 0 }
        #expect((port ?? 0) > 0, "no admin address with a real port in: \(said)")
    }

    @Test func aNonLoopbackBindComesOnlyFromServerBindAndWarnsAtStart() async throws {
        try #require(access(Self.binary, X_OK) == 0, "build nexus first: swift build")
        let dir = TemporaryDirectory(prefix: "nexus-bind")
        defer { dir.remove() }
        let served = try await Self.serve(dir, config: "[server]\nbind = \"0.0.0.0\"\n")
        defer {
            kill(served.pid, SIGINT)
            _ = ChildProcess.reap(served.pid, within: 10)
        }
        #expect(RawHTTP(port: served.port).send("GET", "/healthz")?.status == 200)
        let log = served.log
        let text = String(decoding: try FileBytes.read(log), as: UTF8.self)
        #expect(text.contains("warning: admin server listens on 0.0.0.0 (not loopback, from [server] bind)"), "\(text)")
    }

    /// The children of `parent` whose command name is `name` (from /proc/N/stat: "pid (comm) state ppid ...").
    static func children(of parent: pid_t, named name: String) -> [pid_t] {
        FileSystem.list("/proc").compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let text = try? FileSystem.readText("/proc/\(entry)/stat", limit: 4096),
                let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")")
            else { return nil }
            let comm = String(text[text.index(after: open)..<close])
            let rest = text[text.index(close, offsetBy: 2)...].split(separator: " ")
            guard comm == name, rest.count > 1, pid_t(rest[1]) == parent else { return nil }
            return pid
        }
    }

    /// `nexus serve` on a free port with a fresh home; returns its pid, port, log path and front's pid.
    static func serve(_ dir: TemporaryDirectory, config text: String = "[routing]\n") async throws -> (
        pid: pid_t, port: Int, log: String, front: pid_t
    ) {
        let port = FreePort.loopback()
        let config = dir.write("nexus.toml", text)
        let log = dir.path + "/serve.log"
        let pid = try ChildProcess.spawn(
            [Self.binary, "serve", "--home", dir.path + "/home", "--config", config, "--admin-port", String(port)],
            SpawnOptions(
                stdin: .null, stdout: .appending(path: log), stderr: .appending(path: log),
                environment: ["PATH": "/usr/bin:/bin", "HOME": dir.path, "NEXUS_BUILTIN_MODULES": ""]))
        for _ in 0..<100 where RawHTTP(port: port).send("GET", "/healthz")?.status != 200 {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let front = try #require(children(of: pid, named: "nexus-admin").first, "nexus serve started no nexus-admin")
        return (pid, port, log, front)
    }

    @Test func servesFrontIsItsOwnProcessThatEndsWithNexusEvenOnSIGKILL() async throws {
        try #require(access(Self.binary, X_OK) == 0, "build nexus first: swift build")
        let dir = TemporaryDirectory(prefix: "nexus-front-orphan")
        defer { dir.remove() }
        let s = try await Self.serve(dir)
        #expect(getpgid(s.front) == s.front, "the front leads its own process group (Ctrl-C is nexus's)")
        kill(s.pid, SIGKILL)
        _ = ChildProcess.reap(s.pid, within: 5)
        var gone = false
        for _ in 0..<50 where !gone {
            // Gone, or a zombie waiting for whoever adopted it: either way no longer serving.
            let state = (try? FileSystem.readText("/proc/\(s.front)/stat", limit: 4096))?.split(separator: " ")
            gone = state == nil || state?[2] == "Z"
            if !gone { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        #expect(gone, "nexus-admin outlived nexus")
        #expect(RawHTTP(port: s.port).send("GET", "/healthz") == nil)
    }

    @Test func aKilledFrontIsOneWarningAndServeExitsOneWhileSIGTERMExitsZero() async throws {
        try #require(access(Self.binary, X_OK) == 0, "build nexus first: swift build")
        let dir = TemporaryDirectory(prefix: "nexus-front-killed")
        defer { dir.remove() }
        let killed = try await Self.serve(dir)
        kill(killed.front, SIGKILL)
        let status = ChildProcess.reap(killed.pid, within: 10)
        #expect(status.exitCode == 1, "\(status)")
        let text = String(decoding: try FileBytes.read(killed.log), as: UTF8.self)
        #expect(text.contains("channel to nexus-admin ended"), "\(text)")
        #expect(text.split(separator: "\n").filter { $0.contains("warning:") }.count == 1, "one warning line: \(text)")

        let other = TemporaryDirectory(prefix: "nexus-front-term")
        defer { other.remove() }
        let stopped = try await Self.serve(other)
        kill(stopped.pid, SIGTERM)
        #expect(ChildProcess.reap(stopped.pid, within: 10).exitCode == 0)
        let left = try? FileSystem.readText("/proc/\(stopped.front)/stat", limit: 4096)
        #expect(left == nil, "the front was reaped with nexus serve: \(left ?? "")")
    }
}
