/// The keys nexus.toml understands, in one list per table, so unknown-key warnings, suggestions and
/// the test that checks nexus.toml.example documents every key all read the same source.
extension ConfigDecoder {
    static let conversationKeys = ["max_tool_steps", "max_tool_calls_per_step", "max_output_tokens", "system_prompt"]
    static let classifierKeys = ["use_model_when_unclear"]
    static let sandboxKeys = ["exec", "validate", "integration", "allow_degraded"]
    static let limitKeys = ["timeout_seconds", "memory_mb"]
    static let modulesKeys = [
        "idle_shutdown_seconds", "call_timeout_seconds", "max_tools_per_turn", "cpu_seconds",
        "rerank_tools", "rerank_timeout_ms",
        "usage_prior", "max_folder_mb",
    ]
    static let uiKeys = ["color"]
    static let serverKeys = ["admin", "admin_port", "bind"]
    static let taskKeys = ["tier", "keywords"]
    static let pricingKeys = ["input_per_mtok", "output_per_mtok"]

    /// Every leaf key as a dotted path; `*` stands for a name of yours (a provider, task type or model).
    public static var allKeyPaths: [String] {
        var paths = ["privacy", "routing.*"]
        paths += providerKeys.map { "providers.*." + $0 }
        paths += taskKeys.map { "tasks.*." + $0 }
        paths += pricingKeys.map { "pricing.*." + $0 }
        paths += conversationKeys.map { "conversation." + $0 }
        paths += classifierKeys.map { "classifier." + $0 }
        paths.append("sandbox.allow_degraded")
        for mode in ["exec", "validate", "integration"] { paths += limitKeys.map { "sandbox.\(mode).\($0)" } }
        paths += modulesKeys.map { "modules." + $0 }
        paths += uiKeys.map { "ui." + $0 }
        paths += serverKeys.map { "server." + $0 }
        paths += buildKeys.map { "build." + $0 }
        paths += telemetryKeys.map { "telemetry." + $0 }
        paths += budgetKeys.filter { $0 != "routes" }.map { "budget." + $0 }
        paths.append("budget.routes.*")
        return paths
    }
}
