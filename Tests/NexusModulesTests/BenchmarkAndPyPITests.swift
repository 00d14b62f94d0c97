import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.serialized) struct BenchmarkAndPyPITests {
    /// mcp-server-time from PyPI, installed as a module with the command-line form and called through the host.
    @Test func mcpServerTimeFromPyPIWorksAsAModule() async throws {
        // The module's environment is emptied (HOME is its workspace), so a pyenv shim cannot work there:
        // use the system-Python venv that scripts/setup.sh --test fills.
        var root = #filePath
        for _ in 0..<3 { root = String(root[..<(root.lastIndex(of: "/") ?? root.startIndex)]) }
        let python = root + "/.build/test-venv/bin/python3"
        guard access(python, X_OK) == 0, Self.run([python, "-c", "import mcp_server_time"]) else {
            print("skipped: mcp-server-time is not installed in .build/test-venv (scripts/setup.sh --test)")
            return
        }
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let plan = try f.installer.prepare(
            .mcpCommand(
                name: "time", command: [python, "-m", "mcp_server_time", "--local-timezone", "UTC"], category: "mcp",
                version: "1.0.0", networkAllow: [], credentialEnvs: []))
        _ = try await f.installer.install(plan, approval: FixedApprovals(.yes))
        let defs = await f.host.toolDefinitions()
        #expect(defs.contains { $0.name == "time__get_current_time" })
        let r = await f.host.call(
            toolName: "time__get_current_time", arguments: ["timezone": "Europe/Paris"], approval: FixedApprovals(.yes))
        #expect(!r.isError, "\(r.content)")
        #expect(r.content.contains("Europe/Paris"))
        let bad = await f.host.call(
            toolName: "time__get_current_time", arguments: ["timezone": "Mars/Olympus"], approval: FixedApprovals(.yes))
        #expect(bad.isError)
    }

    /// Whether `module` imports in python3, installing `pip` once if not; prints why when it cannot.
    static func ensurePackage(_ module: String, pip: String) -> Bool {
        if run(["python3", "-c", "import \(module)"]) { return true }
        if run(["python3", "-m", "pip", "install", "-q", pip]) && run(["python3", "-c", "import \(module)"]) {
            return true
        }
        print("skipped: pip could not install \(pip) (offline or no pip)")
        return false
    }

    static func run(_ argv: [String]) -> Bool {
        let spec = LaunchSpec(
            module: "pip", command: argv, workingDirectory: "/tmp", environment: ["HOME": "/root"], networkAllow: [])
        guard let p = try? DirectLauncher().launch(spec) else { return false }
        p.closeStdin()
        _ = ModuleTestRunner.readAll(p.stdout)
        _ = ModuleTestRunner.readAll(p.stderr)
        p.reap()
        return p.exitDescription == "exit status 0"
    }
}
