import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

/// A temporary nexus home with a real SQLite registry, an installer and a host over it.
struct HostFixture {
    let dir: TemporaryDirectory
    let database: Database
    let registry: ModuleRegistry
    let installer: ModuleInstaller
    let bus: EventBus
    let host: ModuleHost

    init(options: (inout ModuleHost.Options) -> Void = { _ in }, credentials: CredentialProvider? = nil) throws {
        dir = TemporaryDirectory(prefix: "nexus-modules")
        database = try Database(path: dir.path + "/nexus.db")
        registry = ModuleRegistry(database: database)
        installer = ModuleInstaller(registry: registry, modulesDirectory: dir.path + "/modules")
        bus = EventBus()
        var o = ModuleHost.Options(modulesDirectory: dir.path + "/modules", logsDirectory: dir.path + "/logs")
        options(&o)
        host = ModuleHost(registry: registry, bus: bus, credentials: credentials, options: o)
    }

    /// Installs a fixture module folder (approved) and returns its record.
    @discardableResult
    func install(
        _ name: String, version: String = "1.0.0", mode: String = "normal", category: String = "testing",
        extra: JSONObject = JSONObject()
    ) async throws -> ModuleRecord {
        let folder = Fixtures.moduleFolder(
            in: dir, name: name, category: category, version: version, mode: mode, extra: extra)
        let plan = try installer.prepare(.folder(folder))
        return try await installer.install(plan, approval: FixedApprovals(.yes))
    }

    /// Installs (approved) a module whose process is `nexus-fake-mcp` offering `echo`, `crash` (exit
    /// status 3), `delete_file` and `env` (its `KEYED_API_KEY`): no Python needed.
    @discardableResult
    func installFake(
        _ name: String, sensitiveTools: [String] = [], credentials: [FakeMCPModule.Credential] = [],
        rateLimitPerMinute: Int = 600
    ) async throws -> ModuleRecord {
        try #require(BuiltProducts.isBuilt(BuiltProducts.fakeMCP), "build nexus-fake-mcp first (swift build)")
        let script = FakeMCPScript(tools: [
            FakeMCPTool(name: "echo", answer: .echo(argument: "text")),
            FakeMCPTool(name: "crash", answer: .crash(status: 3)),
            FakeMCPTool(name: "delete_file", answer: .text("deleted nothing")),
            FakeMCPTool(name: "env", answer: .environment("KEYED_API_KEY")),
        ])
        let module = FakeMCPModule(
            name: name, script: script, sensitiveTools: sensitiveTools, credentials: credentials,
            rateLimitPerMinute: rateLimitPerMinute)
        let plan = try installer.prepare(.folder(module.writeFolder(in: dir.path)))
        return try await installer.install(plan, approval: FixedApprovals(.yes))
    }

    func text(_ name: String, _ tool: String, _ args: JSONValue = [:]) async -> ToolResult {
        await host.call(
            toolName: ToolNamespace.name(module: name, tool: tool), arguments: args, approval: FixedApprovals(.yes))
    }

    func close() async {
        await host.shutdownAll()
        dir.remove()
    }
}

/// Collects the module events published on a bus.
final class EventLog: @unchecked Sendable {
    private let lock = NSLockLike()
    private var events: [EventKind] = []
    private var task: Task<Void, Never>?

    init(_ bus: EventBus) {
        let sub = bus.subscribe(.lossless)
        task = Task { [weak self] in
            for await e in sub.events { self?.append(e.kind) }
        }
    }

    private func append(_ k: EventKind) { lock.with { events.append(k) } }

    var health: [(String, ModuleHealth, String?)] {
        lock.with {
            events.compactMap { if case .moduleHealth(let m, let h, let r) = $0 { (m, h, r) } else { nil } }
        }
    }

    var states: [(String, String)] {
        lock.with { events.compactMap { if case .moduleState(let m, let s) = $0 { (m, s) } else { nil } } }
    }
}
