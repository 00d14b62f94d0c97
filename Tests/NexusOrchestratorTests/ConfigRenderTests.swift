import NexusCore
import NexusOrchestrator
import Testing

/// `/config`: the effective configuration as TOML, secrets masked, reading back as the same config.
@Suite struct ConfigRenderTests {
    static let exampleFile = ConfigLoaderTests.repositoryRoot + "/nexus.toml.example"

    @Test func renderedConfigReadsBackAsTheSameConfig() throws {
        var config = try ConfigLoader.load(file: Self.exampleFile, explicit: true, environment: [:]).config
        for i in config.providers.indices { config.providers[i].headers = [:] }  // masked values cannot round-trip
        config.sandbox.exec.timeoutSeconds = 2.5
        config.ui.color = .always
        let text = ConfigLoader.render(config, environment: [:])
        let again = try ConfigLoader.load(text: text, file: "rendered", environment: [:])
        #expect(again.warnings == [])
        #expect(again.config == config)
    }

    @Test func defaultConfigRendersAndReadsBack() throws {
        let env = ["OPENAI_API_KEY": "sk-test"]
        let config = try ConfigLoader.load(text: "", file: "none", environment: env).config
        let again = try ConfigLoader.load(
            text: ConfigLoader.render(config, environment: env), file: "r", environment: env)
        #expect(again.config == config)
    }

    @Test func apiKeyVariablesShowWhetherTheyAreSet() throws {
        let config = try ConfigLoader.load(text: "", file: "none", environment: ["ANTHROPIC_API_KEY": "sk-ant-SECRET"])
            .config
        let set = ConfigLoader.render(config, environment: ["ANTHROPIC_API_KEY": "sk-ant-SECRET"])
        #expect(set.contains("api_key_env = \"ANTHROPIC_API_KEY\"  # (set)"))
        #expect(!set.contains("SECRET"))
        let unset = ConfigLoader.render(config, environment: [:])
        #expect(unset.contains("api_key_env = \"ANTHROPIC_API_KEY\"  # (not set)"))
    }

    @Test func secretLookingHeadersAreMasked() throws {
        let text = """
            [providers.router]
            kind = "openai"
            headers = { Authorization = "Bearer sk-or-SECRET", "X-Api-Key" = "SECRET2", "X-Auth-Token" = "SECRET3", "X-Title" = "nexus" }
            """
        let config = try ConfigLoader.load(text: text, file: "t", environment: [:]).config
        let shown = ConfigLoader.render(config, environment: [:])
        #expect(!shown.contains("SECRET"))
        #expect(shown.contains("Authorization = \"••••\""))
        #expect(shown.contains("X-Api-Key = \"••••\""))
        #expect(shown.contains("X-Title = \"nexus\""))
    }

    @Test func renderShowsRoutingChainsAndSections() throws {
        let config = try ConfigLoader.load(text: "", file: "none", environment: ["GEMINI_API_KEY": "g"]).config
        let shown = ConfigLoader.render(config, environment: [:])
        #expect(shown.contains("code_generation = [\"gemini:gemini-2.5-pro\", \"local:smollm2\"]"))
        #expect(shown.contains("simple_query = \"local:smollm2\""))
        #expect(shown.contains("[sandbox.exec]\ntimeout_seconds = 30.0\nmemory_mb = 256"))
        #expect(shown.contains("[server]\nadmin = false\nadmin_port = 8003"))
    }
}
