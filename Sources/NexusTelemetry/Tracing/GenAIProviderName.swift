import NexusCore

/// The OpenTelemetry GenAI `gen_ai.provider.name` of each configured provider.
///
/// It exists because nexus.toml names providers freely (`[providers.work]`), while the convention asks for
/// the service's well-known name (`anthropic`, `openai`, `gcp.gemini`, …) so that dashboards built for it
/// group calls the same way whatever the local name. The name in nexus.toml goes on `nexus.provider`. A
/// compatible server the convention has no name for (llama.cpp, vLLM, a proxy) keeps its configured name.
public enum GenAIProviderName {
    /// Well-known hosts of OpenAI-compatible APIs and their convention names.
    static let compatibleHosts: [(suffix: String, name: String)] = [
        ("api.openai.com", "openai"), (".openai.azure.com", "azure.ai.openai"), ("api.groq.com", "groq"),
        ("api.deepseek.com", "deepseek"), ("api.mistral.ai", "mistral_ai"), ("api.x.ai", "x_ai"),
        ("api.perplexity.ai", "perplexity"),
    ]

    /// The convention's name for one provider.
    public static func of(_ provider: ProviderConfig) -> String {
        switch provider.kind {
        case .anthropic: return "anthropic"
        case .gemini: return "gcp.gemini"
        case .ollama: return "ollama"
        case .openai:
            guard let url = provider.baseURL else { return "openai" }
            guard let host = Endpoint.host(of: url)?.lowercased() else { return provider.name }
            for known in compatibleHosts
            where host == known.suffix || (known.suffix.hasPrefix(".") && host.hasSuffix(known.suffix)) {
                return known.name
            }
            return provider.name
        }
    }

    /// Configured name → convention name, for every provider in `providers`.
    public static func table(_ providers: [ProviderConfig]) -> [String: String] {
        var out: [String: String] = [:]
        for p in providers { out[p.name] = of(p) }
        return out
    }
}
