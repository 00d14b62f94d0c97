import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

/// What modules write (stderr, error messages, tool lists) is scrubbed before a log file or a registry
/// row holds it, when the host is given the vault's redactor.
@Suite struct ModuleRedactionTests {
    static let secret = "hunter2-canary-secret"
    static let marker = "«redacted:t/s»"
    static let redact: @Sendable (String) -> String = {
        $0.replacing(ModuleRedactionTests.secret, with: ModuleRedactionTests.marker)
    }

    func read(_ path: String) -> String {
        String(decoding: (try? ModuleFiles.read(path)) ?? [], as: UTF8.self)
    }

    @Test func aSecretWrittenToStderrInPiecesIsRedactedInTheLogAndTheTail() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/logs/modules/m.log"
        let log = ModuleLog(path: path, redact: Self.redact)
        log.stderr(ArraySlice("token is hunter2-can".utf8))
        #expect(!read(path).contains("hunter2"), "an unfinished line waits for the rest")
        log.stderr(ArraySlice("ary-secret, ok\nlast words: hunter2-canary-".utf8))
        log.stderr(ArraySlice("secret".utf8))
        log.flushStderr()
        log.note("module said hunter2-canary-secret")
        let text = read(path)
        #expect(text.contains("token is \(Self.marker), ok\n"))
        #expect(text.contains("last words: \(Self.marker)"))
        #expect(text.contains("module said \(Self.marker)"))
        #expect(!text.contains("hunter2"))
        #expect(log.stderrTail.contains(Self.marker) && !log.stderrTail.contains("hunter2"))
    }

    @Test func withoutARedactorStderrIsWrittenAsItComes() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/m.log"
        let log = ModuleLog(path: path)
        log.stderr(ArraySlice("no newline yet".utf8))
        #expect(read(path) == "no newline yet")
    }

    @Test func aRealModuleProcessStderrReachesItsLogRedacted() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/logs/garbage.log"
        let log = ModuleLog(path: path, redact: { $0.replacing("started in mode", with: ModuleRedactionTests.marker) })
        let client = try await Fixtures.connect("garbage", log: log)
        let r = try await client.callTool(name: "echo", arguments: ["text": "still fine"])
        #expect(r.text == "still fine")
        client.close()
        var text = read(path)
        for _ in 0..<40 where !text.contains("fixture: ") {  // stderr is read on its own thread
            try await Task.sleep(nanoseconds: 50_000_000)
            text = read(path)
        }
        #expect(text.contains("fixture: \(Self.marker) garbage"), "log: \(text)")
        #expect(!text.contains("started in mode"))
    }

    @Test func registryRowsNeverHoldASecretFromAnErrorOrAToolList() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try Database(path: dir.path + "/nexus.db")
        let registry = ModuleRegistry(database: db, redact: Self.redact)
        try registry.upsert(
            ModuleRecord(
                name: "m", category: "testing", version: "1.0.0", seq: 1, state: .enabled, path: dir.path, sha256: "x",
                source: "test"))
        try registry.setHealth("m", .failing, lastError: "crashed: bad key hunter2-canary-secret")
        try registry.recordCall(
            module: "m", tool: "t", latencyMs: 1, outcome: "error", error: "401 for hunter2-canary-secret")
        try registry.cacheTools("m", [MCPTool(name: "t", description: "uses hunter2-canary-secret", inputSchema: [:])])
        var stored: [String] = []
        for sql in ["SELECT last_error, tools FROM modules", "SELECT error FROM module_calls"] {
            for row in try db.query(sql) {
                for case .text(let s) in row.values { stored.append(s) }
            }
        }
        #expect(stored.count == 3)
        #expect(stored.allSatisfy { $0.contains(Self.marker) && !$0.contains("hunter2") }, "\(stored)")
    }
}

/// The host hands its registry's redactor to what a running module produces: its log, and the tool
/// descriptions and schemas offered to the model.
@Suite struct HostRedactionTests {
    static let marker = "«redacted:t/s»"

    @Test func hostRedactsModuleLogsAndTheToolCatalogue() async throws {
        let dir = TemporaryDirectory(prefix: "nexus-modules")
        defer { dir.remove() }
        let db = try Database(path: dir.path + "/nexus.db")
        let redact: @Sendable (String) -> String = {
            $0.replacing("Echo the text back", with: Self.marker).replacing("number", with: Self.marker)
                .replacing("started in mode", with: Self.marker)
        }
        let registry = ModuleRegistry(database: db, redact: redact)
        let installer = ModuleInstaller(registry: registry, modulesDirectory: dir.path + "/modules")
        let folder = Fixtures.moduleFolder(in: dir, name: "tidy")
        _ = try await installer.install(try installer.prepare(.folder(folder)), approval: FixedApprovals(.yes))
        let host = ModuleHost(
            registry: registry, bus: EventBus(),
            options: .init(modulesDirectory: dir.path + "/modules", logsDirectory: dir.path + "/logs"))
        let defs = await host.toolDefinitions()
        await host.shutdownAll()
        let echo = defs.first { $0.name == "tidy__echo" }
        let add = defs.first { $0.name == "tidy__add" }
        #expect(echo?.description.hasPrefix(Self.marker) == true, "\(String(describing: echo?.description))")
        let addSchema = add?.inputSchema.serialized ?? ""
        #expect(addSchema.contains(Self.marker) && !addSchema.contains("number"), "\(addSchema)")
        #expect(add?.inputSchema["properties"]?["a"] != nil, "a redacted schema is still a schema")
        let cached = try db.query("SELECT tools FROM modules WHERE name = 'tidy'").first?.values.first
        if case .text(let t)? = cached {
            #expect(!t.contains("number") && !t.contains("Echo the text back"))
        } else {
            Issue.record("no cached tools")
        }
        var log = ""
        for _ in 0..<40 {  // stderr is read on its own thread: give it a moment on a busy machine
            log = String(decoding: (try? ModuleFiles.read(dir.path + "/logs/modules/tidy.log")) ?? [], as: UTF8.self)
            if log.contains("fixture: ") { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        #expect(log.contains("fixture: \(Self.marker) normal"), "log: \(log)")
        #expect(!log.contains("started in mode"))
    }

    /// Seen before: a module listing a tool named after its own credential (`ghp_…` and most API keys are valid
    /// tool names) had that name offered to the model in the first session that started it: descriptions and
    /// schemas passed the redactor, names did not (only the registry's cached copy was redacted).
    @Test func aToolWhoseNameQuotesASecretIsNeverOffered() async throws {
        let dir = TemporaryDirectory(prefix: "nexus-modules")
        defer { dir.remove() }
        let db = try Database(path: dir.path + "/nexus.db")
        let registry = ModuleRegistry(database: db, redact: { $0.replacing("whoami", with: Self.marker) })
        let installer = ModuleInstaller(registry: registry, modulesDirectory: dir.path + "/modules")
        let folder = Fixtures.moduleFolder(in: dir, name: "tidy")
        _ = try await installer.install(try installer.prepare(.folder(folder)), approval: FixedApprovals(.yes))
        for session in ["the first, which starts the module", "a later one, from the cached list"] {
            let host = ModuleHost(
                registry: registry, bus: EventBus(),
                options: .init(modulesDirectory: dir.path + "/modules", logsDirectory: dir.path + "/logs"))
            let names = await host.toolDefinitions().map(\.name)
            #expect(names.contains("tidy__echo"), "\(session): \(names)")
            #expect(!names.contains { $0.contains("whoami") }, "\(session) offered the secret: \(names)")
            #expect(await host.route(of: "tidy__whoami") == nil, "\(session)")
            await host.shutdownAll()
        }
    }
}
