/// The names, label keys and buckets of every series nexus exposes (docs/observability.md lists them).
///
/// One place, so the recorder, the dashboard test and the docs agree on spelling. Names follow Prometheus
/// conventions: base units (seconds, bytes, US dollars), `_total` on counters, bounded labels only.
public enum MetricSeries {
    public static let llmRequests = "nexus_llm_requests_total"
    public static let llmTokens = "nexus_llm_tokens_total"
    public static let llmCost = "nexus_llm_cost_usd_total"
    public static let llmDuration = "nexus_llm_request_duration_seconds"
    public static let llmTimeToFirstToken = "nexus_llm_time_to_first_token_seconds"
    public static let turnDuration = "nexus_turn_duration_seconds"
    public static let turns = "nexus_turns_total"
    public static let nodeDuration = "nexus_pipeline_node_duration_seconds"
    public static let moduleCalls = "nexus_module_calls_total"
    public static let moduleCallDuration = "nexus_module_call_duration_seconds"
    public static let moduleHealth = "nexus_module_health"
    public static let moduleResident = "nexus_module_resident_memory_bytes"
    public static let moduleCPU = "nexus_module_cpu_seconds_total"
    public static let sandboxRuns = "nexus_sandbox_runs_total"
    public static let sandboxRunDuration = "nexus_sandbox_run_duration_seconds"
    public static let egressRequests = "nexus_egress_requests_total"
    public static let builds = "nexus_builds_total"
    public static let buildDuration = "nexus_build_duration_seconds"
    public static let vaultOperations = "nexus_vault_operations_total"
    public static let budgetSpent = "nexus_budget_spent_usd"
    public static let budgetCap = "nexus_budget_cap_usd"
    public static let budgetActions = "nexus_budget_actions_total"
    /// OpenTelemetry GenAI client metrics (semantic conventions, `gen_ai.client.*`), in Prometheus spelling.
    public static let genAITokenUsage = "gen_ai_client_token_usage"
    public static let genAIOperationDuration = "gen_ai_client_operation_duration_seconds"

    /// Every series name, for tests and the docs.
    public static let all = [
        llmRequests, llmTokens, llmCost, llmDuration, llmTimeToFirstToken, turnDuration, turns, nodeDuration,
        moduleCalls, moduleCallDuration, moduleHealth, moduleResident, moduleCPU, sandboxRuns, sandboxRunDuration,
        egressRequests, builds, buildDuration, vaultOperations, budgetSpent, budgetCap, budgetActions,
        genAITokenUsage, genAIOperationDuration,
    ]

    /// The HELP line of each series.
    public static let help: [String: String] = [
        llmRequests: "Model calls, by provider, model, task type and outcome.",
        llmTokens: "Tokens sent to (input) and received from (output) models.",
        llmCost: "Estimated spend on model calls in US dollars, by the module whose tools the turn used.",
        llmDuration: "Model call duration in seconds.",
        llmTimeToFirstToken: "Time to the first streamed token in seconds.",
        turnDuration: "Chat turn duration in seconds.",
        turns: "Chat turns, by outcome.",
        nodeDuration: "Pipeline node duration in seconds.",
        moduleCalls: "Module tool calls, by outcome.",
        moduleCallDuration: "Module tool call duration in seconds.",
        moduleHealth: "Module health: 0 healthy, 1 degraded, 2 failing, 3 disabled.",
        moduleResident: "Resident memory of a module's processes in bytes.",
        moduleCPU: "CPU time of a module's processes in seconds.",
        sandboxRuns: "Sandboxed runs, by mode and outcome.",
        sandboxRunDuration: "Sandboxed run duration in seconds.",
        egressRequests: "Module network requests seen by the egress proxy, by verdict.",
        builds: "Module builds, by outcome.",
        buildDuration: "Module build duration in seconds.",
        vaultOperations: "Vault operations, by action.",
        budgetSpent: "Spend counted against a budget cap in US dollars.",
        budgetCap: "A budget cap in US dollars.",
        budgetActions: "Budget guard actions (downgrade, ask, stop), by scope.",
        genAITokenUsage: "OpenTelemetry gen_ai.client.token.usage: tokens per model call.",
        genAIOperationDuration: "OpenTelemetry gen_ai.client.operation.duration: model call duration in seconds.",
    ]

    /// Model calls and turns: from a fast local model to a long remote reasoning call.
    static let slowSeconds: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
    /// Pipeline nodes and tool calls: mostly milliseconds.
    static let fastSeconds: [Double] = [0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10, 30]
    /// The GenAI conventions' advised boundaries.
    static let genAISeconds: [Double] = [
        0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
    ]
    static let genAITokens: [Double] = [
        1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864,
    ]

    /// Buckets per histogram name (seconds or tokens).
    static let buckets: [String: [Double]] = [
        llmDuration: slowSeconds, llmTimeToFirstToken: slowSeconds, turnDuration: slowSeconds,
        nodeDuration: fastSeconds, moduleCallDuration: fastSeconds, sandboxRunDuration: slowSeconds,
        buildDuration: slowSeconds + [300, 900], genAIOperationDuration: genAISeconds, genAITokenUsage: genAITokens,
    ]

    /// The value `nexus_module_health` takes per health; nil when not known yet (nothing is exposed).
    public static func healthValue(_ h: String) -> Double? {
        switch h {
        case "healthy": 0
        case "degraded": 1
        case "failing": 2
        case "disabled": 3
        default: nil
        }
    }
}
