/// `[providers.NAME]`: one table per model server, in the order written.
extension ConfigDecoder {
    static let providerKeys = [
        "kind", "base_url", "api_key_env", "local", "autostart", "autostart_command", "context_window",
        "connect_timeout_seconds", "read_timeout_seconds", "max_retries", "headers", "models", "native_tools",
    ]

    mutating func decodeProviders(_ v: TOMLValue) throws(ConfigError) {
        let all = try table(v, "providers")
        for entry in all.entries {
            let path = Self.join("providers", entry.key)
            guard Self.isValidProviderName(entry.key) else {
                throw ConfigError(
                    file: source, line: entry.line, key: path,
                    message:
                        "expected a provider name of letters, digits, \"_\" or \"-\" (it is written before \":\" in provider:model)"
                )
            }
            config.providers.append(try decodeProvider(name: entry.key, entry.value, path))
        }
    }

    static func isValidProviderName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(TOMLParser.isBareKeyByte)
    }

    mutating func decodeProvider(name: String, _ v: TOMLValue, _ path: String) throws(ConfigError) -> ProviderConfig {
        let t = try table(v, path)
        warnUnknownKeys(in: t, path: path, known: Self.providerKeys)
        let kinds = ProviderKind.allCases.map(\.rawValue)
        let kind: ProviderKind
        if let k = t["kind"] {
            kind = ProviderKind(rawValue: try choice(k, path + ".kind", kinds)) ?? .openai
        } else if let inferred = ProviderKind(rawValue: name) {
            kind = inferred
        } else {
            throw ConfigError(
                file: source, line: t.line, key: path + ".kind",
                message: "expected one of \"anthropic\", \"openai\", \"gemini\" or \"ollama\"",
                hint: "add kind = \"openai\" to [\(path)] for any OpenAI-compatible server")
        }
        var p = ProviderConfig(name: name, kind: kind)
        if let x = t["base_url"] { p.baseURL = try url(x, path + ".base_url") }
        if let x = t["api_key_env"] {
            let s = try string(x, path + ".api_key_env", reveal: false)
            guard Self.isEnvironmentName(s) else {
                throw ConfigError(
                    file: source, line: x.line, key: path + ".api_key_env",
                    message: "expected the name of an environment variable, like \"ANTHROPIC_API_KEY\"",
                    hint: "put the key itself in that variable (or the vault), never in nexus.toml")
            }
            p.apiKeyEnv = s
        }
        if let x = t["local"] { p.markedLocal = try bool(x, path + ".local") }
        if let x = t["autostart"] { p.autostart = try bool(x, path + ".autostart") }
        if let x = t["autostart_command"] {
            p.autostartCommand = try strings(x, path + ".autostart_command")
            if p.autostartCommand.isEmpty || p.autostartCommand[0].isEmpty {
                throw fail(
                    x, path + ".autostart_command",
                    expected: "a command and its arguments, like [\"llama-server\", \"--port\", \"8080\"]")
            }
        }
        if let x = t["context_window"] { p.contextWindow = try int(x, path + ".context_window", in: 256...100_000_000) }
        if let x = t["connect_timeout_seconds"] {
            p.connectTimeoutSeconds = try seconds(x, path + ".connect_timeout_seconds")
        }
        if let x = t["read_timeout_seconds"] { p.readTimeoutSeconds = try seconds(x, path + ".read_timeout_seconds") }
        if let x = t["max_retries"] { p.maxRetries = try int(x, path + ".max_retries", in: 0...10) }
        if let x = t["headers"] { p.headers = try headers(x, path + ".headers") }
        if let x = t["models"] { p.models = try strings(x, path + ".models") }
        if let x = t["native_tools"] { p.nativeTools = try bool(x, path + ".native_tools") }
        return p
    }

    func headers(_ v: TOMLValue, _ path: String) throws(ConfigError) -> [String: String] {
        let t = try table(v, path)
        var out: [String: String] = [:]
        for entry in t.entries {
            let key = Self.join(path, entry.key)
            guard !entry.key.isEmpty, entry.key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") })
            else {
                throw ConfigError(file: source, line: entry.line, key: key, message: "expected an HTTP header name")
            }
            let value = try string(entry.value, key, reveal: false)
            guard !value.contains(where: { $0 == "\n" || $0 == "\r" }) else {
                throw fail(entry.value, key, expected: "a header value on one line", reveal: false)
            }
            out[entry.key] = value
        }
        return out
    }

    static func isEnvironmentName(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return s.utf8.allSatisfy { TOMLParser.isBareKeyByte($0) && $0 != UInt8(ascii: "-") }
    }
}
