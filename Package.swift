// swift-tools-version:6.2
// NEXUS: one binary, layered targets. Arrows point down only (see docs/DESIGN.md §3):
// faces (TUI, REPL) → orchestrator → {LLM, modules, vault, sandbox, telemetry} → store → core.
// Each C library is wrapped by one system-library target and imported by exactly one Swift target.
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "nexus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nexus", targets: ["nexus"]),
        .library(name: "NexusTesting", targets: ["NexusTesting"]),
        // Test support, never shipped inside `nexus`: the scripted fake model server out of process.
        .executable(name: "nexus-fake-provider", targets: ["NexusFakeProvider"]),
        // Test support, never shipped inside `nexus`: the scripted fake MCP server (JSON-RPC over stdio).
        .executable(name: "nexus-fake-mcp", targets: ["NexusFakeMCP"]),
        // YAML → JSON for OpenAPI builds, beside `nexus`: Yams brings Foundation, which `nexus` itself never links.
        .executable(name: "nexus-yaml", targets: ["NexusYAMLTool"]),
        // The admin server's HTTP front, beside `nexus`: Hummingbird and SwiftNIO stay out of the binary every
        // chat starts (87 → 45 MB, −0.45 ms start-up); nexus decides every answer over a socketpair.
        .executable(name: "nexus-admin", targets: ["NexusAdminHTTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // YAML for OpenAPI documents (issue 15); used only by NexusEvolution.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Metrics (issue 16): swift-metrics is the API; NexusTelemetry's own backend renders the text exposition
        // (swift-prometheus took 11.7 ms for 1,000 modules against a 1 ms target: BENCHMARKS.md, docs/DESIGN.md).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // The admin server's HTTP front `nexus-admin` (issue 16): no traits, so no full Foundation and no
        // swift-configuration. Never linked into `nexus` itself.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // Hummingbird logs through swift-log; the front hands it a silent logger.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C shims: one owner each.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),  // owner: NexusStore
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),  // owner: NexusLLM
        .systemLibrary(name: "CSodium", providers: [.apt(["libsodium-dev"])]),  // owner: NexusCrypto
        .systemLibrary(name: "CNCursesW", providers: [.apt(["libncursesw5-dev"])]),  // owner: NexusTUI
        .systemLibrary(name: "CLibEdit", providers: [.apt(["libedit-dev"])]),  // owner: NexusREPL

        // Layers.
        .target(name: "NexusCore", swiftSettings: swiftSettings),
        // System calls in one place: threads, descriptors, files, processes (spawn, wait, signal), pipes, pseudo-terminals.
        .target(name: "CNexusPOSIX"),  // owner: NexusPOSIX (fork-to-exec and prctl for tethered children)
        .target(name: "NexusPOSIX", dependencies: ["NexusCore", "CNexusPOSIX"], swiftSettings: swiftSettings),
        .target(name: "NexusStore", dependencies: ["NexusCore", "NexusPOSIX", "CSQLite"], swiftSettings: swiftSettings),
        .target(name: "NexusLLM", dependencies: ["NexusCore", "NexusPOSIX", "CCurl"], swiftSettings: swiftSettings),
        .target(name: "CNexusJail"),  // owner: NexusSandbox
        .target(name: "NexusSandbox", dependencies: ["NexusCore", "NexusPOSIX", "CNexusJail"], swiftSettings: swiftSettings),
        // Vetted crypto (libsodium) for the vault and for module pins: the one importer of CSodium.
        .target(name: "NexusCrypto", dependencies: ["CSodium"], swiftSettings: swiftSettings),
        .target(name: "NexusVault", dependencies: ["NexusCore", "NexusStore", "NexusPOSIX", "NexusCrypto"], swiftSettings: swiftSettings),
        .target(
            name: "NexusModules", dependencies: ["NexusCore", "NexusStore", "NexusPOSIX", "NexusCrypto"],
            swiftSettings: swiftSettings),
        .target(
            name: "NexusTelemetry",
            dependencies: [
                "NexusPOSIX", "NexusCore",
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ], swiftSettings: swiftSettings),
        // Self-building: the module gate (and, from the build helper, generation and repair).
        .target(
            name: "NexusEvolution",
            dependencies: [
                "NexusCore", "NexusPOSIX", "NexusStore", "NexusModules", "NexusSandbox",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "NexusOrchestrator",
            dependencies: [
                "NexusCore", "NexusStore", "NexusLLM", "NexusModules", "NexusVault", "NexusPOSIX", "NexusEvolution",
            ], swiftSettings: swiftSettings),
        // The admin API (issue 16): /metrics, /healthz and the /v1 control API as request → reply, decided in
        // nexus. Starts only when serving; no HTTP library: the `nexus-admin` front carries the HTTP.
        .target(
            name: "NexusServer",
            dependencies: [
                "NexusCore", "NexusPOSIX", "NexusStore", "NexusOrchestrator", "NexusModules", "NexusAdminChannel",
            ], swiftSettings: swiftSettings),
        // The framed channel between nexus and `nexus-admin` (requests out, replies back), shared by both ends.
        .target(name: "NexusAdminChannel", dependencies: ["NexusCore", "NexusPOSIX"], swiftSettings: swiftSettings),
        .target(name: "NexusREPL", dependencies: ["NexusCore", "NexusPOSIX", "NexusOrchestrator", "CLibEdit"], swiftSettings: swiftSettings),
        .target(name: "NexusTUI", dependencies: ["NexusCore", "NexusPOSIX", "NexusOrchestrator", "CNCursesW"], swiftSettings: swiftSettings),
        // Benchmarks (`nexus bench`): every suite's measurements, beside the layers they measure, never inside them.
        .target(
            name: "NexusBench",
            dependencies: [
                "NexusCore", "NexusPOSIX", "NexusStore", "NexusLLM", "NexusModules", "NexusSandbox", "NexusVault",
                "NexusTelemetry", "NexusEvolution", "NexusOrchestrator", "NexusREPL", "NexusTUI",
            ], swiftSettings: swiftSettings),
        // `nexus doctor`: reads every layer (the sandbox probe and the faces' C libraries included), imported by none.
        .target(
            name: "NexusDoctor",
            dependencies: [
                "NexusCore", "NexusPOSIX", "NexusStore", "NexusLLM", "NexusModules", "NexusSandbox", "NexusVault",
                "NexusOrchestrator", "NexusREPL", "NexusTUI",
            ], swiftSettings: swiftSettings),
        .target(
            name: "NexusTesting",
            dependencies: ["NexusCore", "NexusPOSIX", "NexusStore", "NexusOrchestrator", "NexusModules", "NexusVault"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "nexus",
            dependencies: [
                "NexusCore", "NexusStore", "NexusOrchestrator", "NexusREPL", "NexusTUI", "NexusSandbox", "NexusVault",
                "NexusModules", "NexusLLM", "NexusTelemetry", "NexusEvolution", "NexusPOSIX", "NexusBench", "NexusDoctor",
                "NexusServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], swiftSettings: swiftSettings),

        .executableTarget(
            name: "NexusYAMLTool", dependencies: ["NexusCore", "NexusPOSIX", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "NexusAdminHTTP",
            dependencies: [
                "NexusCore", "NexusPOSIX", "NexusAdminChannel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: swiftSettings),
        .executableTarget(name: "NexusFakeProvider", dependencies: ["NexusTesting", "NexusPOSIX"], swiftSettings: swiftSettings),
        .executableTarget(name: "NexusFakeMCP", dependencies: ["NexusTesting", "NexusPOSIX"], swiftSettings: swiftSettings),

        // Tests (Swift Testing). EndToEndTests drive the built binary.
        .testTarget(name: "NexusCoreTests", dependencies: ["NexusCore"], swiftSettings: swiftSettings),
        .testTarget(name: "NexusPOSIXTests", dependencies: ["NexusPOSIX"], swiftSettings: swiftSettings),
        .testTarget(name: "NexusCryptoTests", dependencies: ["NexusCrypto"], swiftSettings: swiftSettings),
        .testTarget(name: "NexusREPLTests", dependencies: ["NexusREPL", "NexusCore", "NexusPOSIX"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NexusTelemetryTests", dependencies: ["NexusTelemetry", "NexusPOSIX", "NexusCore", "NexusLLM", "NexusTesting"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "NexusServerTests",
            dependencies: [
                "NexusServer", "NexusAdminChannel", "NexusTelemetry", "NexusCore", "NexusOrchestrator", "NexusTesting",
                "NexusPOSIX",
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "NexusStoreTests", dependencies: ["NexusStore", "NexusCore", "NexusPOSIX", "NexusTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "NexusOrchestratorTests", dependencies: ["NexusOrchestrator", "NexusCore", "NexusStore", "NexusTesting", "NexusLLM", "NexusModules", "NexusEvolution"], swiftSettings: swiftSettings),
        .testTarget(name: "NexusVaultTests", dependencies: ["NexusVault", "NexusCore", "NexusStore", "NexusTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "NexusTUITests", dependencies: ["NexusTUI", "NexusCore", "NexusOrchestrator", "NexusTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NexusSandboxTests", dependencies: ["NexusSandbox", "NexusCore", "NexusPOSIX", "NexusTesting", "NexusTelemetry"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "EndToEndTests", dependencies: ["NexusCore", "NexusStore", "NexusTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NexusCommandTests",
            dependencies: ["nexus", "NexusTesting", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "NexusBenchTests", dependencies: ["NexusBench", "NexusCore", "NexusTesting"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "NexusDoctorTests", dependencies: ["NexusDoctor", "NexusCore", "NexusModules", "NexusTesting"],
            swiftSettings: swiftSettings),
        .testTarget(name: "NexusLLMTests", dependencies: ["NexusLLM", "NexusCore", "NexusTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NexusEvolutionTests", dependencies: ["NexusEvolution", "NexusCore", "NexusModules", "NexusTesting"],
            swiftSettings: swiftSettings),
        .testTarget(name: "NexusModulesTests", dependencies: ["NexusModules", "NexusCore", "NexusStore", "NexusTesting", "NexusVault", "NexusSandbox"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
    ]
)
