import NexusCore
import NexusModules
import NexusPOSIX
import Synchronization

/// A `ModuleLauncher` in place of the sandbox: no namespaces, no jailer, no egress proxy — the module
/// process starts as a plain child (`DirectLauncher`), and every `LaunchSpec` is remembered so a test can
/// say what a module was given (its credentials in the environment, its grants, its network allow-list).
///
/// In `.inProcess` mode a module whose command is `nexus-fake-mcp --script FILE` (or `--script-json TEXT`)
/// runs as an `InProcessMCPServer` instead: the same script, no exec, and its requests readable through
/// `server(for:)`. Any other command is spawned as usual.
public final class PassThroughLauncher: ModuleLauncher {
    public enum Mode: Sendable {
        /// Fake MCP modules run inside the test process.
        case inProcess
        /// Every module is a real child process.
        case subprocess
    }

    public let mode: Mode
    private let direct: DirectLauncher
    private let state = Mutex<(specs: [LaunchSpec], servers: [(module: String, server: FakeMCPServer)])>(([], []))

    public init(mode: Mode = .inProcess, direct: DirectLauncher = DirectLauncher()) {
        self.mode = mode
        self.direct = direct
    }

    /// Every spec launched, in order (restarts included).
    public var launches: [LaunchSpec] { state.withLock { $0.specs } }

    /// The in-process server last started for `module`.
    public func server(for module: String) -> FakeMCPServer? {
        state.withLock { $0.servers.last { $0.module == module }?.server }
    }

    /// Every in-process server started, in order (a restarted module has one per start).
    public var servers: [FakeMCPServer] { state.withLock { $0.servers.map(\.server) } }

    public func launch(_ spec: LaunchSpec) throws -> LaunchedProcess {
        state.withLock { $0.specs.append(spec) }
        guard mode == .inProcess, let script = try Self.fakeMCPScript(spec) else { return try direct.launch(spec) }
        let (process, server) = try InProcessMCPServer.start(script, spec: spec)
        state.withLock { $0.servers.append((spec.module, server)) }
        return process
    }

    /// The script of a `nexus-fake-mcp` command line (relative paths from the module's folder); nil for any
    /// other program.
    static func fakeMCPScript(_ spec: LaunchSpec) throws -> FakeMCPScript? {
        guard let program = spec.command.first, program == "nexus-fake-mcp" || program.hasSuffix("/nexus-fake-mcp")
        else { return nil }
        let args = Array(spec.command.dropFirst())
        do {
            if let i = args.firstIndex(of: "--script-json"), i + 1 < args.count {
                return try FakeMCPScript(json: args[i + 1])
            }
            if let i = args.firstIndex(of: "--script"), i + 1 < args.count {
                let path = args[i + 1].hasPrefix("/") ? args[i + 1] : spec.workingDirectory + "/" + args[i + 1]
                return try FakeMCPScript(json: String(decoding: try ModuleFiles.read(path), as: UTF8.self))
            }
        } catch {
            throw LaunchError(module: spec.module, command: spec.command, reason: error.userFacingDescription)
        }
        return FakeMCPScript(tools: [FakeMCPTool(name: "echo", answer: .echo(argument: "text"))])
    }
}
