import NexusCore
import NexusTelemetry

/// Where progress lines of a long suite go (the command passes its terminal writer).
public typealias BenchProgress = @Sendable (String) -> Void

/// What a suite needs from the command line and the process: the `nexus` binary under test, the run
/// count, peers to time beside it, the environment, and where the challenge farm is.
public struct BenchOptions: Sendable {
    public var executable: String
    public var runs: Int
    public var peers: [String]
    public var environment: [String: String]
    /// The farm folder for `openapi` (nil: not found; the suite says so in its row).
    public var farm: String?
    public var progress: BenchProgress
    /// How the tracing overhead run exports spans (the composition root's HTTP client); nil skips that row.
    public var spanTransport: (any SpanTransport)?

    public init(
        executable: String, runs: Int, peers: [String], environment: [String: String], farm: String?,
        progress: @escaping BenchProgress
    ) {
        self.executable = executable
        self.runs = runs
        self.peers = peers
        self.environment = environment
        self.farm = farm
        self.progress = progress
    }
}

/// The benchmark suites `nexus bench` runs, by name: one table each in BENCHMARKS.md. The executable only
/// parses the command line and prints; every measurement lives in this target.
public enum BenchSuites {
    public static let titles = [
        "startup": "Start-up (process spawn to exit / to first prompt)",
        "llm": "LLM streaming (NexusLLM)",
        "modules": "Modules (NexusModules)",
        "picker": "Tool picker (NexusModules, bench/toolpicker fixtures)",
        "vault": "Vault (NexusVault)",
        "sandbox": "Sandbox (NexusSandbox)",
        "tui": "TUI frames (NexusTUI, off-screen)",
        "turn": "Orchestrator per-turn overhead (instant model)",
        "gate": "Module gate (NexusEvolution, testdata/gate-corpus)",
        "openapi": "OpenAPI builds against the farm (no model; acceptance checks as tool calls through nexus)",
        "metrics": "Metrics (NexusTelemetry): /metrics for 1,000 modules, recorder overhead per turn",
    ]

    /// Runs suite `name`; nil when this target has no suite of that name.
    public static func run(_ name: String, _ o: BenchOptions) async -> [BenchRow]? {
        switch name {
        case "startup":
            return StartupBenchmark.run(
                executable: o.executable, runs: o.runs, environment: o.environment, peers: o.peers)
        case "llm": return await SubsystemBenchmarks.llm()
        case "modules": return await SubsystemBenchmarks.modules()
        case "picker":
            return await PickerBenchmark.run(
                fixtures: PickerBenchmark.locateFixtures(executable: o.executable, environment: o.environment),
                environment: o.environment, progress: o.progress)
        case "vault": return SubsystemBenchmarks.vault()
        case "sandbox": return SubsystemBenchmarks.sandbox(executable: o.executable)
        case "tui": return SubsystemBenchmarks.tui()
        case "turn":
            let turns = max(200, o.runs * 10)
            return await TurnBenchmark.run(turns: turns)
                + TracingOverheadBenchmark.run(turns: turns, transport: o.spanTransport)
        case "metrics": return await MetricsBenchmark.run(turns: max(200, o.runs * 10), transport: o.spanTransport)
        case "gate":
            return await GateBenchmark.run(executable: o.executable, environment: o.environment, progress: o.progress)
        case "openapi":
            return await OpenAPIBenchmark.run(
                executable: o.executable, farm: o.farm, environment: o.environment, progress: o.progress)
        default: return nil
        }
    }
}
