import NexusCore
import NexusModules
import NexusPOSIX
import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

/// The harness live: the built `nexus` in a fresh home, driven with `-p PROMPT --json` (line mode's
/// one-shot), each provider a `FakeProviderServer` over loopback, each module the real `nexus-fake-mcp`
/// child (installed with `nexus modules install`, started without the jail: `NEXUS_SANDBOX=off`), each
/// secret stored with `nexus creds set`. Each `run` is one process, so one session per turn.
final class BinaryBackend: HarnessBackend {
    let dir: TemporaryDirectory
    let servers: [String: FakeProviderServer]
    let env: [String: String]
    let approve: Bool
    let paths: NexusPaths

    private init(
        dir: TemporaryDirectory, servers: [String: FakeProviderServer], env: [String: String], approve: Bool,
        paths: NexusPaths
    ) {
        self.dir = dir
        self.servers = servers
        self.env = env
        self.approve = approve
        self.paths = paths
    }

    static func start(_ setup: NexusTestHarness.Setup) async throws -> BinaryBackend {
        for binary in [BuiltProducts.nexus, BuiltProducts.fakeMCP] where !BuiltProducts.isBuilt(binary) {
            throw NexusError("\(binary) is not built", hint: "run swift build first")
        }
        let dir = TemporaryDirectory(prefix: "nexus-harness")
        var servers: [String: FakeProviderServer] = [:]
        for name in setup.providers { servers[name] = try FakeProviderServer(models: ["fake-model"]) }
        mkdir(dir.path + "/config", 0o700)
        let config = dir.write(
            "config/nexus.toml",
            NexusTestHarness.config(setup) { servers[$0]?.baseURL(for: .openai) ?? "http://127.0.0.1:9/v1" })
        var env: [String: String] = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/nonexistent-home", "LANG": "C.UTF-8",
            "NEXUS_HOME": dir.path + "/home", "NEXUS_CONFIG": config, "NO_COLOR": "1", "NEXUS_SANDBOX": "off",
            "MODULE_ENCRYPTION_KEY": String(repeating: "ab", count: 32),
        ]
        if let p = getenv("PATH") { env["PATH"] = String(cString: p) }
        let backend = BinaryBackend(
            dir: dir, servers: servers, env: env, approve: setup.approve,
            paths: NexusPaths(home: dir.path + "/home", configFile: config, configIsExplicit: true))
        for module in setup.modules {
            try backend.nexus(["modules", "install", module.writeFolder(in: dir.path), "--yes"])
        }
        for s in setup.secrets { try backend.nexus(["creds", "set", s.module, s.name], stdin: s.value + "\n") }
        return backend
    }

    /// Runs a setup command; throws with its output when it fails.
    private func nexus(_ args: [String], stdin: String = "") throws {
        let r = Subprocess.run([BuiltProducts.nexus] + args, stdin: Array(stdin.utf8), environment: env, timeout: 60)
        guard r.status == 0 else {
            throw NexusError(
                "nexus \(args.prefix(2).joined(separator: " ")) failed (\(r.status)): \(r.stdout)\(r.stderr)")
        }
    }

    func script(_ provider: String, _ steps: [NexusTestHarness.ModelStep]) {
        guard let server = servers[provider] else { return }
        for (i, step) in steps.enumerated() {
            switch step {
            case .text(let t): server.enqueue(.text(t))
            case .toolCall(let name, let args):
                server.enqueue(
                    .toolCall(name: name, arguments: args.serialized, id: "call_\(server.requests.count + i)"))
            case .fail(let status): server.enqueue(.error(status, message: "scripted \(status)"))
            case .hang: server.enqueue(.hang)
            }
        }
    }

    func run(_ prompt: String, cancel: NexusTestHarness.CancelPoint?) async throws -> TurnRecord {
        let argv = [BuiltProducts.nexus, "-p", prompt, "--json", "--approve", approve ? "yes" : "no"]
        let status: Int32
        let stdout: String
        if cancel == nil {
            let r = Subprocess.run(argv, environment: env, timeout: 90)
            (status, stdout) = (r.status, r.stdout)
        } else {
            (status, stdout) = try await runInterrupted(argv)
        }
        let events = stdout.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
        var requests: [String: [[TurnRecord.Message]]] = [:]
        var offered: [String: [[String]]] = [:]
        for (name, server) in servers {
            requests[name] = server.chatRequests.map { Self.messages($0.body) }
            offered[name] = server.chatRequests.map { Self.toolNames($0.body) }
        }
        let database = try Database(path: paths.database)
        var ledger: [String: Int] = [:]
        for t in try LedgerRepository(db: database).totals(by: .provider) { ledger[t.key] = t.calls }
        let calls = try ModuleRegistry(database: database).recordedCalls()
        return TurnRecord(
            events: events, modelRequests: requests, toolsOffered: offered, ledger: ledger,
            moduleCalls: calls.map { .init(module: $0.module, tool: $0.tool, outcome: $0.outcome) }, exitStatus: status)
    }

    /// Runs `argv` with stdout in a file, and sends one SIGINT (Ctrl-C) once a `tool_call` event is out.
    private func runInterrupted(_ argv: [String]) async throws -> (Int32, String) {
        let out = dir.path + "/run-\(MonotonicClock.nanoseconds()).jsonl"
        let pid = try ChildProcess.spawn(
            argv, SpawnOptions(stdin: .null, stdout: .appending(path: out), stderr: .null, environment: env))
        var interrupted = false
        for _ in 0..<3000 where !interrupted {
            // Not there yet until nexus writes its first line.
            let text = String(decoding: (try? FileSystem.read(out)) ?? [], as: UTF8.self)
            if text.contains("\"type\":\"tool_call\"") {
                kill(pid, SIGINT)
                interrupted = true
            } else {
                try await Task.sleep(nanoseconds: 10_000_000)
            }
        }
        let status = ChildProcess.reap(pid, within: 30).shellCode
        return (status, String(decoding: (try? FileSystem.read(out)) ?? [], as: UTF8.self))
    }

    /// The (role, content) of each message in an OpenAI chat request body.
    static func messages(_ body: String) -> [TurnRecord.Message] {
        guard let root = try? JSONValue(parsing: body), let list = root["messages"]?.arrayValue else { return [] }
        return list.map {
            TurnRecord.Message(
                role: $0["role"]?.stringValue ?? "",
                content: $0["content"]?.stringValue ?? $0["content"].map(\.serialized) ?? "")
        }
    }

    /// The function names offered in an OpenAI chat request body.
    static func toolNames(_ body: String) -> [String] {
        guard let root = try? JSONValue(parsing: body), let list = root["tools"]?.arrayValue else { return [] }
        return list.compactMap { $0["function"]?["name"]?.stringValue }
    }

    func close() async {
        for server in servers.values { server.stop() }
        dir.remove()
    }
}
