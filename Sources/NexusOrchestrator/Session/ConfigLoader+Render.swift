import NexusCore
import NexusPOSIX

/// `/config`: the effective configuration written back as TOML, secrets masked.
///
/// API keys never appear in the config (only the names of the variables holding them), so the render
/// shows whether each variable is set; header values whose names look secret are shown as `••••`.
/// Without secret headers the output reads back as the same configuration.
extension ConfigLoader {
    static let mask = "••••"
    static let secretHeaderWords = ["auth", "key", "token", "secret", "cookie", "password"]

    /// `environment` nil reads the process environment (for the `(set)` / `(not set)` notes).
    public static func render(_ config: NexusConfig, environment: [String: String]? = nil) -> String {
        func isSet(_ name: String) -> Bool {
            if let environment { return !(environment[name] ?? "").isEmpty }
            return !(Environment.get(name) ?? "").isEmpty
        }
        var out: [String] = ["# Effective configuration: defaults, then nexus.toml, then the environment."]
        out.append("privacy = \(TOMLWriter.string(config.privacy.rawValue))")
        for p in config.providers {
            out.append("")
            out.append("[providers.\(TOMLWriter.key(p.name))]")
            out.append("kind = \(TOMLWriter.string(p.kind.rawValue))")
            if let base = p.baseURL { out.append("base_url = \(TOMLWriter.string(base))") }
            if let env = p.apiKeyEnv {
                out.append("api_key_env = \(TOMLWriter.string(env))  # \(isSet(env) ? "(set)" : "(not set)")")
            }
            out.append("local = \(p.markedLocal)")
            out.append("autostart = \(p.autostart)")
            if !p.autostartCommand.isEmpty { out.append("autostart_command = \(TOMLWriter.array(p.autostartCommand))") }
            if let w = p.contextWindow { out.append("context_window = \(w)") }
            out.append("connect_timeout_seconds = \(TOMLWriter.float(p.connectTimeoutSeconds))")
            out.append("read_timeout_seconds = \(TOMLWriter.float(p.readTimeoutSeconds))")
            out.append("max_retries = \(p.maxRetries)")
            out.append("models = \(TOMLWriter.array(p.models))")
            out.append("native_tools = \(p.nativeTools)")
            if !p.headers.isEmpty {
                let shown = p.headers.sorted { $0.key < $1.key }.map { name, value in
                    "\(TOMLWriter.key(name)) = \(TOMLWriter.string(isSecretHeader(name) ? mask : value))"
                }
                out.append("headers = { \(shown.joined(separator: ", ")) }")
            }
        }
        if !config.routing.isEmpty {
            out.append("")
            out.append("[routing]")
            for (task, chain) in config.routing.sorted(by: { $0.key < $1.key }) {
                let refs = chain.map(\.description)
                let value = refs.count == 1 ? TOMLWriter.string(refs[0]) : TOMLWriter.array(refs)
                out.append("\(TOMLWriter.key(task.rawValue)) = \(value)")
            }
        }
        for task in Set(config.taskTiers.keys).union(config.taskKeywords.keys).sorted() {
            out.append("")
            out.append("[tasks.\(TOMLWriter.key(task.rawValue))]")
            if let tier = config.taskTiers[task] { out.append("tier = \(TOMLWriter.string(tier.rawValue))") }
            if let words = config.taskKeywords[task] { out.append("keywords = \(TOMLWriter.array(words))") }
        }
        for (key, price) in config.pricing.sorted(by: { $0.key < $1.key }) {
            out.append("")
            out.append("[pricing.\(TOMLWriter.key(key))]")
            out.append("input_per_mtok = \(TOMLWriter.float(price.inputPerMTok))")
            out.append("output_per_mtok = \(TOMLWriter.float(price.outputPerMTok))")
        }
        out += renderSections(config)
        return out.joined(separator: "\n") + "\n"
    }

    static func renderSections(_ config: NexusConfig) -> [String] {
        var out: [String] = ["", "[conversation]"]
        out.append("max_tool_steps = \(config.conversation.maxToolSteps)")
        out.append("max_tool_calls_per_step = \(config.conversation.maxToolCallsPerStep)")
        out.append("max_output_tokens = \(config.conversation.maxOutputTokens)")
        if let prompt = config.conversation.systemPrompt { out.append("system_prompt = \(TOMLWriter.string(prompt))") }
        out += ["", "[classifier]", "use_model_when_unclear = \(config.classifier.useModelWhenUnclear)"]
        out += ["", "[sandbox]", "allow_degraded = \(config.sandbox.allowDegraded)"]
        for (name, limits) in [
            ("exec", config.sandbox.exec), ("validate", config.sandbox.validate),
            ("integration", config.sandbox.integration),
        ] {
            out += [
                "", "[sandbox.\(name)]", "timeout_seconds = \(TOMLWriter.float(limits.timeoutSeconds))",
                "memory_mb = \(limits.memoryMB)",
            ]
        }
        out += [
            "", "[modules]", "idle_shutdown_seconds = \(TOMLWriter.float(config.modules.idleShutdownSeconds))",
            "call_timeout_seconds = \(TOMLWriter.float(config.modules.callTimeoutSeconds))",
            "max_tools_per_turn = \(config.modules.maxToolsPerTurn)", "cpu_seconds = \(config.modules.cpuSeconds)",
            "rerank_tools = \(config.modules.rerankTools)", "rerank_timeout_ms = \(config.modules.rerankTimeoutMs)",
            "max_folder_mb = \(config.modules.maxFolderMB)",
        ]
        let e = config.embeddings
        out += [
            "", "[embeddings]", "api = \(TOMLWriter.string(e.api))", "url = \(TOMLWriter.string(e.url))",
            "model = \(TOMLWriter.string(e.model))", "api_key_env = \(TOMLWriter.string(e.apiKeyEnv))",
            "query_timeout_ms = \(e.queryTimeoutMs)",
        ]
        out += ["", "[ui]", "color = \(TOMLWriter.string(config.ui.color.rawValue))"]
        out += ["", "[server]", "admin = \(config.server.admin)", "admin_port = \(config.server.adminPort)"]
        if let bind = config.server.bind { out.append("bind = \(TOMLWriter.string(bind))") }
        out += ["", "[build]", "max_repairs = \(config.build.maxRepairs)"]
        return out
    }

    /// `Authorization`, `X-Api-Key`, `X-Auth-Token`, ...: names that carry credentials.
    static func isSecretHeader(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return secretHeaderWords.contains { lowered.contains($0) }
    }
}
