import Glibc
import NexusPOSIX
import NexusTesting
import Testing

/// The built binary serving (issue 16 item 4): `nexus serve` answers on loopback with a private token, and
/// a chat asked to serve on a port already taken says so in one warning and still chats.
@Suite(.serialized) struct ServeSpecs {
    static let binary = ShippedConfigSpecs.root + "/.build/debug/nexus"

    @Test func nexusServeAnswersAndAChatOnATakenPortStillChats() async throws {
        try #require(access(Self.binary, X_OK) == 0, "build nexus first: swift build")
        let fake = try FakeProviderServer()
        fake.enqueue(.text("still ", "chatting"))
        let dir = TemporaryDirectory(prefix: "nexus-serve")
        defer { dir.remove() }
        let config = dir.write(
            "nexus.toml",
            """
            [providers.fake]
            kind = "openai"
            base_url = "\(fake.baseURL(for: .openai))"
            max_retries = 0

            [routing]
            simple_query = "fake:fake-model"
            """)
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

    @Test func aNonLoopbackBindComesOnlyFromServerBindAndWarnsAtStart() async throws {
        try #require(access(Self.binary, X_OK) == 0, "build nexus first: swift build")
        let dir = TemporaryDirectory(prefix: "nexus-bind")
        defer { dir.remove() }
        let port = FreePort.loopback()
        let config = dir.write("nexus.toml", "[server]\nbind = \"0.0.0.0\"\n")
        let log = dir.path + "/serve.log"
        let pid = try ChildProcess.spawn(
            [Self.binary, "serve", "--home", dir.path + "/home", "--config", config, "--admin-port", String(port)],
            SpawnOptions(
                stdin: .null, stdout: .appending(path: log), stderr: .appending(path: log),
                environment: ["PATH": "/usr/bin:/bin", "HOME": dir.path, "NEXUS_BUILTIN_MODULES": ""]))
        defer {
            kill(pid, SIGINT)
            _ = ChildProcess.reap(pid, within: 10)
        }
        var up = false
        for _ in 0..<80 where !up {
            up = RawHTTP(port: port).send("GET", "/healthz")?.status == 200
            if !up { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        #expect(up)
        let text = String(decoding: try FileBytes.read(log), as: UTF8.self)
        #expect(text.contains("warning: admin server listens on 0.0.0.0 (not loopback, from [server] bind)"), "\(text)")
    }
}
