import NexusCore

/// Builds the provider for a `[providers.NAME]` entry: picks the wire protocol by `kind`, resolves the
/// base URL (config, then `OPENAI_BASE_URL` / `OLLAMA_HOST`, then the public default), reads the key from
/// `api_key_env`, and decides whether the endpoint is local.
public enum ProviderFactory {
    public static let defaultBaseURLs: [ProviderKind: String] = [
        .anthropic: "https://api.anthropic.com",
        .openai: "https://api.openai.com/v1",
        .gemini: "https://generativelanguage.googleapis.com",
        .ollama: "http://127.0.0.1:11434",
    ]

    /// The key variable used when `api_key_env` is not set (none for Ollama, which needs no key).
    public static let defaultKeyEnv: [ProviderKind: String] = [
        .anthropic: "ANTHROPIC_API_KEY", .openai: "OPENAI_API_KEY", .gemini: "GEMINI_API_KEY",
    ]

    public static func make(config: ProviderConfig, environment: [String: String], http: HTTPClient = HTTPClient())
        throws
        -> any LLMProvider
    {
        let endpoint = try endpoint(config: config, environment: environment, http: http)
        switch config.kind {
        case .openai: return OpenAIProvider(endpoint: endpoint)
        case .anthropic: return AnthropicProvider(endpoint: endpoint)
        case .gemini: return GeminiProvider(endpoint: endpoint)
        case .ollama: return OllamaProvider(endpoint: endpoint)
        }
    }

    /// The resolved endpoint for a provider entry (exposed for diagnostics such as `nexus doctor`).
    public static func endpoint(config: ProviderConfig, environment: [String: String], http: HTTPClient = HTTPClient())
        throws -> ProviderEndpoint
    {
        let base = try baseURL(config: config, environment: environment)
        let local = config.markedLocal || Endpoint.isLoopback(url: base)
        var keyEnv = config.apiKeyEnv
        // An OpenAI-compatible server on this machine needs no key unless one is configured.
        if keyEnv == nil, !(config.kind == .openai && local) { keyEnv = defaultKeyEnv[config.kind] }
        let key = keyEnv.flatMap { environment[$0] }.map { $0.trimmingSpaces }.flatMap { $0.isEmpty ? nil : $0 }
        return ProviderEndpoint(
            name: config.name, kind: config.kind, baseURL: base, apiKey: key, apiKeyEnv: keyEnv, isLocal: local,
            connectTimeout: config.connectTimeoutSeconds, readTimeout: config.readTimeoutSeconds,
            extraHeaders: config.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            configuredModels: config.models, http: http)
    }

    static func baseURL(config: ProviderConfig, environment: [String: String]) throws -> String {
        var raw: String
        if let b = config.baseURL, !b.trimmingSpaces.isEmpty {
            raw = b.trimmingSpaces
        } else if config.kind == .openai, let e = environment["OPENAI_BASE_URL"], !e.trimmingSpaces.isEmpty {
            raw = e.trimmingSpaces
        } else if config.kind == .ollama, let e = environment["OLLAMA_HOST"], !e.trimmingSpaces.isEmpty {
            raw = e.trimmingSpaces
            if !raw.contains("://") { raw = "http://" + raw }
            // OLLAMA_HOST may be "0.0.0.0:11434" (a listen address) or a bare host without a port.
            raw = raw.replacingFirst("://0.0.0.0", with: "://127.0.0.1")
            let afterScheme = raw.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
            if afterScheme.count >= 3, !afterScheme[2].contains(":") && !afterScheme[2].hasPrefix("[") {
                raw = "\(afterScheme[0])//\(afterScheme[2]):11434"
            }
        } else {
            raw = defaultBaseURLs[config.kind] ?? ""
        }
        guard raw.hasPrefix("http://") || raw.hasPrefix("https://") else {
            throw NexusError(
                "providers.\(config.name).base_url: '\(raw)' is not an http(s) URL",
                hint: "write the API root, e.g. \(defaultBaseURLs[config.kind] ?? "https://host/v1")", exit: .usage)
        }
        while raw.hasSuffix("/") { raw.removeLast() }
        return raw
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = firstRange(of: target) else { return self }
        return String(self[..<r.lowerBound]) + replacement + String(self[r.upperBound...])
    }
}
