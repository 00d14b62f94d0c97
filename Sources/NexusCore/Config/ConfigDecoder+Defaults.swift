/// What NEXUS uses when nexus.toml says nothing: providers found in the environment, a local llama.cpp
/// server, and routing that prefers the strongest cloud model for hard tasks. Then environment overrides.
extension ConfigDecoder {
    /// The API-key variable each built-in provider kind reads by default.
    static let keyVariable: [ProviderKind: String] = [
        .anthropic: "ANTHROPIC_API_KEY", .openai: "OPENAI_API_KEY", .gemini: "GEMINI_API_KEY",
    ]

    /// The API-key variable a built-in provider kind reads by default (nil for kinds that need none).
    public static func keyVariable(for kind: ProviderKind) -> String? { keyVariable[kind] }

    /// Public endpoints, as each provider documents its API root (DESIGN §4.2).
    public static let defaultBaseURL: [ProviderKind: String] = [
        .anthropic: "https://api.anthropic.com", .openai: "https://api.openai.com/v1",
        .gemini: "https://generativelanguage.googleapis.com", .ollama: "http://127.0.0.1:11434",
    ]

    /// The local default: a llama.cpp server on loopback, started on first use.
    public static let localBaseURL = "http://127.0.0.1:8080/v1"
    /// The alias the bundled llama.cpp server serves SmolLM2 under (see LocalModelServer).
    public static let localModel = "smollm2"
    /// The model routed to on a user's Ollama (`ollama pull qwen2.5-coder:3b`).
    public static let ollamaModel = "qwen2.5-coder:3b"

    /// The model each cloud provider is routed to by default, strongest provider first.
    static let cloudDefaults: [(kind: ProviderKind, model: String)] = [
        (.anthropic, "claude-sonnet-4-5"), (.openai, "gpt-4.1"), (.gemini, "gemini-2.5-pro"),
    ]

    static func nonEmpty(_ env: [String: String], _ name: String) -> String? {
        guard let v = env[name], !v.isEmpty else { return nil }
        return v
    }

    /// Providers for a file that declares none: one per API key found, `ollama` when OLLAMA_HOST is set,
    /// and always `local`.
    public static func defaultProviders(environment env: [String: String]) -> [ProviderConfig] {
        var out: [ProviderConfig] = []
        for (kind, model) in cloudDefaults {
            guard let variable = keyVariable[kind], nonEmpty(env, variable) != nil else { continue }
            var p = ProviderConfig(name: kind.rawValue, kind: kind)
            p.baseURL = defaultBaseURL[kind]
            p.apiKeyEnv = variable
            p.models = [model]
            out.append(p)
        }
        if nonEmpty(env, "OLLAMA_HOST") != nil {
            var p = ProviderConfig(name: "ollama", kind: .ollama)
            p.baseURL = defaultBaseURL[.ollama]
            p.models = [ollamaModel]
            out.append(p)
        }
        var local = ProviderConfig(name: "local", kind: .openai)
        local.baseURL = localBaseURL
        local.autostart = true
        local.models = [localModel]
        out.append(local)
        return out
    }

    /// Routing for the default providers: code_generation and complex_reasoning go to the strongest
    /// cloud provider available, then local; every other built-in task goes to local. A user's Ollama,
    /// when present, is preferred over the bundled llama.cpp server.
    public static func defaultRouting(for providers: [ProviderConfig]) -> [TaskType: [ModelRef]] {
        let local =
            providers.contains { $0.name == "ollama" }
            ? ModelRef(provider: "ollama", model: ollamaModel) : ModelRef(provider: "local", model: localModel)
        let cloud = cloudDefaults.first { c in providers.contains { $0.name == c.kind.rawValue } }
            .map { ModelRef(provider: $0.kind.rawValue, model: $0.model) }
        var routing: [TaskType: [ModelRef]] = [:]
        for task in TaskType.builtIn {
            if let cloud, task == .codeGeneration || task == .complexReasoning {
                routing[task] = [cloud, local]
            } else {
                routing[task] = [local]
            }
        }
        return routing
    }

    mutating func applyDefaultsAndEnvironment() throws(ConfigError) {
        if config.providers.isEmpty {
            config.providers = Self.defaultProviders(environment: environment)
            for (task, chain) in Self.defaultRouting(for: config.providers) where config.routing[task] == nil {
                config.routing[task] = chain
            }
        }
        if let privacy = Self.nonEmpty(environment, "NEXUS_PRIVACY") {
            guard let mode = PrivacyMode(rawValue: privacy) else {
                throw ConfigError(
                    file: "NEXUS_PRIVACY", line: nil, key: nil, message: "expected \"open\" or \"local-only\"",
                    hint: "unset it or set NEXUS_PRIVACY=local-only")
            }
            config.privacy = mode
        }
        if let base = Self.nonEmpty(environment, "OPENAI_BASE_URL"),
            let i = config.providers.firstIndex(where: { $0.name == "openai" && $0.kind == .openai })
        {
            guard let url = Self.normalizedURL(base) else {
                throw ConfigError(
                    file: "OPENAI_BASE_URL", line: nil, key: nil, message: "expected an http:// or https:// URL",
                    hint: "for example OPENAI_BASE_URL=https://api.openai.com/v1")
            }
            config.providers[i].baseURL = url
        }
        if let host = Self.nonEmpty(environment, "OLLAMA_HOST"),
            let i = config.providers.firstIndex(where: { $0.name == "ollama" && $0.kind == .ollama })
        {
            guard let url = Self.ollamaURL(host) else {
                throw ConfigError(
                    file: "OLLAMA_HOST", line: nil, key: nil, message: "expected host[:port] or an http:// URL",
                    hint: "for example OLLAMA_HOST=127.0.0.1:11434")
            }
            config.providers[i].baseURL = url
        }
    }

    /// OLLAMA_HOST as Ollama reads it: `host`, `host:port` or a URL; the port defaults to 11434.
    static func ollamaURL(_ host: String) -> String? {
        if host.hasPrefix("http://") || host.hasPrefix("https://") { return normalizedURL(host) }
        guard !host.contains(where: { $0 == "/" || $0 == " " }) else { return nil }
        let hasPort = host.hasPrefix("[") ? host.contains("]:") : host.contains(":")
        return normalizedURL("http://" + host + (hasPort ? "" : ":11434"))
    }
}
