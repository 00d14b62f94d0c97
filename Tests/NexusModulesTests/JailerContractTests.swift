import NexusCore
import NexusSandbox
import NexusTesting
import Testing

@testable import NexusModules

/// NexusModules starts modules through the jailer without importing the sandbox: the flags it writes are a
/// contract, held here against the sandbox's own parser.
@Suite struct JailerContractTests {
    @Test func theModeAModuleIsJailedInIsTheSandboxsIntegrationMode() throws {
        #expect(try SandboxMode.parse(JailedLauncher.jailMode) == .integration)
        let dir = TemporaryDirectory(prefix: "nexus-jailmode")
        defer { dir.remove() }
        let spec = LaunchSpec(
            module: "m", command: ["/bin/true"], workingDirectory: dir.path, environment: [:],
            networkAllow: ["api.example.com", "127.0.0.1:8080"])
        let argv = try JailedLauncher(nexusExecutable: "/x/nexus", memoryMB: 256).jailedSpec(spec).command
        let mode = try #require(argv.firstIndex(of: "--mode").map { argv[$0 + 1] })
        #expect(try SandboxMode.parse(mode) == .integration)
        let hosts = argv.indices.filter { argv[$0] == "--allow-host" }.map { argv[$0 + 1] }
        #expect(hosts == ["api.example.com", "127.0.0.1:8080"])
        #expect(throws: Never.self) { try hosts.map { try HostRule.parse($0) } }
    }

    @Test func aModuleIsJailedUnderItsNameSoItsEgressIsCountedAsItsOwn() throws {
        let dir = TemporaryDirectory(prefix: "nexus-jaillabel")
        defer { dir.remove() }
        let spec = LaunchSpec(
            module: "weather-2_x", command: ["/bin/true"], workingDirectory: dir.path, environment: [:],
            networkAllow: [])
        let argv = try JailedLauncher(nexusExecutable: "/x/nexus", memoryMB: 256).jailedSpec(spec).command
        let label = try #require(argv.firstIndex(of: "--label").map { argv[$0 + 1] })
        #expect(label == "weather-2_x")
        var options = try JailOptions(
            mode: "integration", workspace: nil, allowHosts: [], env: [], secretEnv: [], resolve: [], timeout: nil,
            memoryMB: nil, command: ["true"], capture: false, resultJSON: nil, auditLog: nil, recordDir: nil,
            config: SandboxConfig(), hostEnvironment: [:])
        #expect(throws: Never.self) { try options.setLabel(label) }
        #expect(options.label == "weather-2_x")
    }
}
