extension ConfigDecoder {
    static let embeddingsKeys = ["api", "url", "model", "api_key_env", "query_timeout_ms"]

    mutating func decodeEmbeddings(_ v: TOMLValue) throws(ConfigError) {
        let t = try table(v, "embeddings")
        warnUnknownKeys(in: t, path: "embeddings", known: Self.embeddingsKeys)
        if let x = t["api"] { config.embeddings.api = try choice(x, "embeddings.api", ["openai", "ollama"]) }
        if let x = t["url"] { config.embeddings.url = try string(x, "embeddings.url") }
        if let x = t["model"] { config.embeddings.model = try string(x, "embeddings.model") }
        if let x = t["api_key_env"] { config.embeddings.apiKeyEnv = try string(x, "embeddings.api_key_env") }
        if let x = t["query_timeout_ms"] {
            config.embeddings.queryTimeoutMs = try int(x, "embeddings.query_timeout_ms", in: 10...1_000)
        }
    }
}
