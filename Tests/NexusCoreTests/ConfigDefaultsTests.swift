import NexusCore
import Testing

/// The effective config when nexus.toml declares no providers, and the environment's overrides.
@Suite struct ConfigDefaultsTests {
    func decode(_ environment: [String: String]) throws -> NexusConfig { try decode("", environment) }

    func decode(_ text: String, _ environment: [String: String]) throws -> NexusConfig {
        try ConfigDecoder.decode(try TOMLParser.parse(text), source: "nexus.toml", environment: environment).config
    }

    let local = ModelRef(provider: "local", model: ConfigDecoder.localModel)

    @Test func noKeysGiveOnlyTheLocalLlamaCppServer() throws {
        let c = try decode([:])
        #expect(c.providers.map(\.name) == ["local"])
        let p = try #require(c.provider(named: "local"))
        #expect(p.kind == .openai)
        #expect(p.baseURL == "http://127.0.0.1:8080/v1")
        #expect(p.autostart)
        for task in TaskType.builtIn {
            #expect(c.routing[task] == [local], "\(task)")
        }
        #expect(c.privacy == .open)
    }

    @Test func hardTasksGoToTheStrongestCloudProviderThenLocal() throws {
        let c = try decode(["OPENAI_API_KEY": "k", "GEMINI_API_KEY": "g", "ANTHROPIC_API_KEY": "a"])
        #expect(c.providers.map(\.name) == ["anthropic", "openai", "gemini", "local"])
        let claude = ModelRef(provider: "anthropic", model: "claude-sonnet-4-5")
        #expect(c.routing[.codeGeneration] == [claude, local])
        #expect(c.routing[.complexReasoning] == [claude, local])
        #expect(c.routing[.simpleQuery] == [local])
        #expect(c.routing[.classification] == [local])
        #expect(c.provider(named: "anthropic")?.apiKeyEnv == "ANTHROPIC_API_KEY")

        let g = try decode(["GEMINI_API_KEY": "g"])
        #expect(g.routing[.codeGeneration]?.first?.provider == "gemini")
    }

    @Test func emptyKeyVariablesCountAsUnset() throws {
        let c = try decode(["ANTHROPIC_API_KEY": ""])
        #expect(c.providers.map(\.name) == ["local"])
    }

    @Test func openAIBaseURLOverridesTheOpenAIProvider() throws {
        let c = try decode(["OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "http://127.0.0.1:9999/v1/"])
        #expect(c.provider(named: "openai")?.baseURL == "http://127.0.0.1:9999/v1")
        #expect(c.provider(named: "local")?.baseURL == "http://127.0.0.1:8080/v1")

        let declared = try decode(
            "[providers.openai]\nkind = \"openai\"\nbase_url = \"https://api.openai.com/v1\"\n",
            ["OPENAI_BASE_URL": "http://127.0.0.1:1234/v1"])
        #expect(declared.provider(named: "openai")?.baseURL == "http://127.0.0.1:1234/v1")
    }

    @Test func ollamaHostAddsAndPointsTheOllamaProvider() throws {
        let c = try decode(["OLLAMA_HOST": "127.0.0.1:11500"])
        #expect(c.providers.map(\.name) == ["ollama", "local"])
        #expect(c.provider(named: "ollama")?.kind == .ollama)
        #expect(c.provider(named: "ollama")?.baseURL == "http://127.0.0.1:11500")
        #expect(try decode(["OLLAMA_HOST": "gpu-box"]).provider(named: "ollama")?.baseURL == "http://gpu-box:11434")
        #expect(
            try decode(["OLLAMA_HOST": "https://ollama.example/"]).provider(named: "ollama")?.baseURL
                == "https://ollama.example")
    }

    @Test func declaredProvidersReplaceTheDefaults() throws {
        let c = try decode("[providers.box]\nkind = \"ollama\"\n", ["ANTHROPIC_API_KEY": "a"])
        #expect(c.providers.map(\.name) == ["box"])
        #expect(c.routing.isEmpty)
    }

    @Test func fileRoutingWinsOverDefaultRouting() throws {
        let c = try decode("[routing]\nsimple_query = \"local:tiny\"\n", [:])
        #expect(c.routing[.simpleQuery] == [ModelRef(provider: "local", model: "tiny")])
        #expect(c.routing[.codeGeneration] == [local])
    }

    @Test func nexusPrivacyOverridesTheFile() throws {
        #expect(try decode("privacy = \"open\"\n", ["NEXUS_PRIVACY": "local-only"]).privacy == .localOnly)
        #expect(try decode("privacy = \"local-only\"\n", ["NEXUS_PRIVACY": "open"]).privacy == .open)
        do {
            _ = try decode(["NEXUS_PRIVACY": "private"])
            Issue.record("an invalid NEXUS_PRIVACY must be refused")
        } catch let e as ConfigError {
            #expect(e.userMessage == "NEXUS_PRIVACY: expected \"open\" or \"local-only\"")
            #expect(e.exitCode == .usage)
        }
    }

    @Test func malformedEnvironmentURLsAreRefusedByName() throws {
        for (name, value) in [("OPENAI_BASE_URL", "api.openai.com"), ("OLLAMA_HOST", "http://")] {
            var env = [name: value]
            env["OPENAI_API_KEY"] = "k"
            do {
                _ = try decode(env)
                Issue.record("\(name)=\(value) must be refused")
            } catch let e as ConfigError {
                #expect(e.file == name)
            }
        }
    }

    @Test func localOnlyWarnsAboutRoutesWithNoLocalModel() throws {
        let text = """
            privacy = "local-only"
            [providers.anthropic]
            [providers.box]
            kind = "openai"
            base_url = "http://10.0.0.5:8000/v1"
            local = true
            [routing]
            code_generation = "anthropic:claude-sonnet-4-5"
            simple_query = ["anthropic:claude-haiku-4-5", "box:qwen"]
            """
        let r = try ConfigDecoder.decode(try TOMLParser.parse(text), source: "nexus.toml", environment: [:])
        #expect(
            r.warnings.map(\.description) == [
                "nexus.toml:8: routing.code_generation names no local provider, and privacy is local-only: turns of this type cannot run"
            ])
        let open = try ConfigDecoder.decode(
            try TOMLParser.parse(text), source: "nexus.toml", environment: ["NEXUS_PRIVACY": "open"])
        #expect(open.warnings.isEmpty)
    }

    @Test func loopbackAndMarkedProvidersAreOnThisMachine() {
        func provider(_ url: String?, kind: ProviderKind = .openai, marked: Bool = false) -> ProviderConfig {
            var p = ProviderConfig(name: "p", kind: kind)
            p.baseURL = url
            p.markedLocal = marked
            return p
        }
        #expect(ConfigDecoder.isOnThisMachine(provider("http://127.0.0.1:8080/v1")))
        #expect(ConfigDecoder.isOnThisMachine(provider("http://localhost:11434")))
        #expect(ConfigDecoder.isOnThisMachine(provider("http://[::1]:8080/v1")))
        #expect(ConfigDecoder.isOnThisMachine(provider(nil, kind: .ollama)))
        #expect(ConfigDecoder.isOnThisMachine(provider("http://10.0.0.5/v1", marked: true)))
        #expect(!ConfigDecoder.isOnThisMachine(provider("http://10.0.0.5/v1")))
        #expect(!ConfigDecoder.isOnThisMachine(provider("http://127.0.0.1.evil.com/v1")))
        #expect(!ConfigDecoder.isOnThisMachine(provider("http://127.0.0.1@evil.com/v1")))
        #expect(!ConfigDecoder.isOnThisMachine(provider("https://localhost.example.com/v1")))
        #expect(!ConfigDecoder.isOnThisMachine(provider(nil, kind: .anthropic)))
    }
}
