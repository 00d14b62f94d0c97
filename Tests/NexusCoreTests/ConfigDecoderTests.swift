import NexusCore
import Testing

/// How nexus.toml becomes a NexusConfig: every key read, every mistake named with its file, line and key.
@Suite struct ConfigDecoderTests {
    func decode(_ text: String, environment: [String: String] = [:]) throws -> ConfigDecoder.Result {
        try ConfigDecoder.decode(try TOMLParser.parse(text), source: "nexus.toml", environment: environment)
    }

    func failure(_ text: String, environment: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try decode(text, environment: environment)
            return nil
        } catch let e as ConfigError {
            return e
        } catch {
            Issue.record("expected a ConfigError, got \(error)")
            return nil
        }
    }

    static let twoProviders = """
        [providers.anthropic]
        kind = "anthropic"
        api_key_env = "ANTHROPIC_API_KEY"
        base_url = "https://api.anthropic.com/"

        [providers.local]
        kind = "openai"
        base_url = "http://127.0.0.1:11434/v1"

        """

    @Test func designExampleDecodesCompletely() throws {
        let r = try decode(
            Self.twoProviders + """
                [routing]
                code_generation   = ["anthropic:claude-sonnet-4-5", "local:qwen2.5-coder:3b"]
                simple_query      = "local:qwen2.5-coder:3b"

                [pricing."anthropic:claude-sonnet-4-5"]
                input_per_mtok = 3.0
                output_per_mtok = 15
                """)
        #expect(r.warnings.isEmpty)
        let c = r.config
        #expect(c.providers.map(\.name) == ["anthropic", "local"])
        #expect(c.provider(named: "anthropic")?.baseURL == "https://api.anthropic.com")
        #expect(c.provider(named: "anthropic")?.apiKeyEnv == "ANTHROPIC_API_KEY")
        #expect(c.provider(named: "local")?.kind == .openai)
        #expect(
            c.routing[.codeGeneration] == [
                ModelRef(provider: "anthropic", model: "claude-sonnet-4-5"),
                ModelRef(provider: "local", model: "qwen2.5-coder:3b"),
            ])
        #expect(c.routing[.simpleQuery] == [ModelRef(provider: "local", model: "qwen2.5-coder:3b")])
        #expect(c.routing[.classification] == nil, "declared providers get no invented routing")
        #expect(c.pricing["anthropic:claude-sonnet-4-5"] == Pricing(inputPerMTok: 3, outputPerMTok: 15))
    }

    @Test func unknownKeyWarnsWithItsLine() throws {
        let r = try decode(
            """
            [providers.local]
            kind = "openai"
            bse_url = "http://127.0.0.1:8080/v1"
            """)
        #expect(
            r.warnings.map(\.description) == [
                "nexus.toml:3: unknown key providers.local.bse_url (did you mean base_url?)"
            ])
        #expect(r.config.provider(named: "local")?.baseURL == nil)
    }

    @Test func unknownSectionWarnsWithoutSuggestionWhenNothingIsClose() throws {
        let r = try decode("\n[zzyzx]\nx = 1\n[rooting]\n")
        #expect(
            r.warnings.map(\.description) == [
                "nexus.toml:2: unknown key zzyzx", "nexus.toml:4: unknown key rooting (did you mean routing?)",
            ])
    }

    @Test func wrongTypeExitsTwoNamingTheKey() throws {
        let e = try #require(
            failure(Self.twoProviders + "[routing]\ncode_generation = 42\n"))
        #expect(
            e.userMessage == "nexus.toml:10: routing.code_generation: expected \"provider:model\" or a list of them")
        #expect(e.exitCode == .usage)
        #expect(e.line == 10)
        #expect(e.hint?.contains("got 42") == true)
    }

    @Test func routingEntryWithoutAColonIsRefusedAtItsOwnLine() throws {
        let e = try #require(
            failure(Self.twoProviders + "[routing]\ncode_generation = [\n  \"local:a\",\n  \"claude\",\n]\n"))
        #expect(e.line == 12)
        #expect(e.key == "routing.code_generation")
        #expect(failure(Self.twoProviders + "[routing]\nsimple_query = []\n")?.line == 10)
    }

    @Test func routingToUnknownProviderIsAnError() throws {
        let e = try #require(failure(Self.twoProviders + "[routing]\n\nsimple_query = \"lokal:qwen\"\n"))
        #expect(e.userMessage == "nexus.toml:11: routing.simple_query: unknown provider \"lokal\" in \"lokal:qwen\"")
        #expect(e.hint?.contains("did you mean local?") == true)
        #expect(e.exitCode == .usage)
    }

    @Test func routingToADefaultProviderNeedsItsKey() throws {
        let text = "[routing]\ncode_generation = \"anthropic:claude-sonnet-4-5\"\n"
        let e = try #require(failure(text))
        #expect(e.line == 2)
        #expect(e.hint?.contains("ANTHROPIC_API_KEY") == true)
        let r = try decode(text, environment: ["ANTHROPIC_API_KEY": "sk-test"])
        #expect(r.config.routing[.codeGeneration] == [ModelRef(provider: "anthropic", model: "claude-sonnet-4-5")])
    }

    @Test func wrongValuesNameTheirKeyAndExpectation() throws {
        let cases: [(String, String)] = [
            ("privacy = \"lokal-only\"", "nexus.toml:1: privacy: expected \"open\" or \"local-only\""),
            ("[server]\nadmin_port = 70000", "nexus.toml:2: server.admin_port: expected an integer from 1 to 65535"),
            (
                "[ui]\ncolor = \"sometimes\"",
                "nexus.toml:2: ui.color: expected one of \"auto\", \"always\" or \"never\""
            ),
            (
                "[sandbox.exec]\ntimeout_seconds = -1",
                "nexus.toml:2: sandbox.exec.timeout_seconds: expected a number of seconds above 0 and at most 604800 (a week)"
            ),
            (
                "[sandbox.exec]\ntimeout_seconds = 1e300",
                "nexus.toml:2: sandbox.exec.timeout_seconds: expected a number of seconds above 0 and at most 604800 (a week)"
            ),
            (
                "[providers.x]\nkind = \"openai\"\nread_timeout_seconds = 1e19",
                "nexus.toml:3: providers.x.read_timeout_seconds: expected a number of seconds above 0 and at most 604800 (a week)"
            ),
            (
                "[modules]\ncall_timeout_seconds = inf",
                "nexus.toml:2: modules.call_timeout_seconds: expected a number of seconds above 0 and at most 604800 (a week)"
            ),
            ("[sandbox]\nallow_degraded = \"yes\"", "nexus.toml:2: sandbox.allow_degraded: expected true or false"),
            (
                "[tasks.code_generation]\ntier = \"huge\"",
                "nexus.toml:2: tasks.code_generation.tier: expected one of \"standard\", \"heavy\" or \"ultra\""
            ),
            (
                "[tasks.weather]\nkeywords = \"rain\"",
                "nexus.toml:2: tasks.weather.keywords: expected an array of strings"
            ),
            ("conversation = 3", "nexus.toml:1: conversation: expected a table ([conversation])"),
            (
                "[providers.x]\nkind = \"openai\"\nbase_url = \"ftp://x\"",
                "nexus.toml:3: providers.x.base_url: expected an http:// or https:// URL"
            ),
            (
                "[providers.x]\nkind = \"opneai\"",
                "nexus.toml:2: providers.x.kind: expected one of \"anthropic\", \"openai\", \"gemini\" or \"ollama\""
            ),
            (
                "[providers.x]\nkind = \"openai\"\nmax_retries = 99",
                "nexus.toml:3: providers.x.max_retries: expected an integer from 0 to 10"
            ),
            (
                "[pricing.claude]\ninput_per_mtok = 1",
                "nexus.toml:1: pricing.claude: expected a \"provider:model\" key, like [pricing.\"anthropic:claude-sonnet-4-5\"]"
            ),
            (
                "[pricing.\"a:b\"]\ninput_per_mtok = -3\noutput_per_mtok = 1",
                "nexus.toml:2: pricing.\"a:b\".input_per_mtok: expected a price in USD per million tokens from 0 to 100000"
            ),
            (
                "[pricing.\"a:b\"]\ninput_per_mtok = 1e308\noutput_per_mtok = 1",
                "nexus.toml:2: pricing.\"a:b\".input_per_mtok: expected a price in USD per million tokens from 0 to 100000"
            ),
            (
                "[modules]\nmax_tools_per_turn = 0",
                "nexus.toml:2: modules.max_tools_per_turn: expected an integer from 1 to 128"
            ),
        ]
        for (text, message) in cases {
            #expect(failure(text)?.userMessage == message, "for \(text)")
        }
    }

    @Test func providerWithoutKindIsInferredFromItsNameOrRefused() throws {
        let r = try decode("[providers.gemini]\napi_key_env = \"GEMINI_API_KEY\"\n")
        #expect(r.config.provider(named: "gemini")?.kind == .gemini)
        let e = try #require(failure("\n[providers.box]\nbase_url = \"http://10.0.0.2:8000/v1\"\n"))
        #expect(
            e.userMessage
                == "nexus.toml:2: providers.box.kind: expected one of \"anthropic\", \"openai\", \"gemini\" or \"ollama\""
        )
    }

    @Test func apiKeyEnvMustNameAVariableAndNeverEchoesTheSecret() throws {
        let e = try #require(
            failure("[providers.anthropic]\napi_key_env = \"sk-ant-api03-SECRET\"\n"))
        #expect(e.line == 2)
        #expect(!e.userFacingDescription.contains("SECRET"))
    }

    @Test func everyProviderKeyIsRead() throws {
        let r = try decode(
            """
            [providers.box]
            kind = "openai"
            base_url = "http://10.0.0.2:8000/v1"
            local = true
            autostart = true
            autostart_command = ["llama-server", "--port", "8000"]
            context_window = 32768
            connect_timeout_seconds = 2.5
            read_timeout_seconds = 60
            max_retries = 0
            headers = { "HTTP-Referer" = "https://nexus.local", "X-Title" = "nexus" }
            models = ["qwen", "llama"]
            native_tools = false
            """)
        #expect(r.warnings.isEmpty)
        let p = try #require(r.config.provider(named: "box"))
        #expect(p.markedLocal && p.autostart && !p.nativeTools)
        #expect(p.autostartCommand == ["llama-server", "--port", "8000"])
        #expect(p.contextWindow == 32768)
        #expect(p.connectTimeoutSeconds == 2.5 && p.readTimeoutSeconds == 60 && p.maxRetries == 0)
        #expect(p.headers == ["HTTP-Referer": "https://nexus.local", "X-Title": "nexus"])
        #expect(p.models == ["qwen", "llama"])
    }

    @Test func everySectionKeyIsRead() throws {
        let r = try decode(
            """
            privacy = "local-only"
            [conversation]
            max_tool_steps = 4
            max_tool_calls_per_step = 5
            max_output_tokens = 1000
            system_prompt = "Be brief."
            [classifier]
            use_model_when_unclear = true
            [sandbox]
            allow_degraded = true
            exec = { timeout_seconds = 5, memory_mb = 128 }
            validate.timeout_seconds = 90
            [sandbox.integration]
            memory_mb = 1024
            [modules]
            idle_shutdown_seconds = 60
            call_timeout_seconds = 10.5
            max_tools_per_turn = 6
            [ui]
            color = "never"
            [server]
            admin_port = 9003
            [tasks.weather]
            tier = "standard"
            keywords = ["rain", "forecast"]
            [tasks.code_generation]
            tier = "ultra"
            """)
        #expect(r.warnings.isEmpty)
        let c = r.config
        #expect(c.privacy == .localOnly)
        #expect(c.conversation.maxToolSteps == 4 && c.conversation.maxOutputTokens == 1000)
        #expect(c.conversation.maxToolCallsPerStep == 5)
        #expect(failure("[conversation]\nmax_tool_calls_per_step = 0\n")?.line == 2, "1–128, named by line")
        #expect(c.conversation.systemPrompt == "Be brief.")
        #expect(c.classifier.useModelWhenUnclear)
        #expect(c.sandbox.allowDegraded)
        #expect(c.sandbox.exec == SandboxConfig.Limits(timeoutSeconds: 5, memoryMB: 128))
        #expect(c.sandbox.validate == SandboxConfig.Limits(timeoutSeconds: 90, memoryMB: 512))
        #expect(c.sandbox.integration == SandboxConfig.Limits(timeoutSeconds: 60, memoryMB: 1024))
        #expect(c.modules.idleShutdownSeconds == 60 && c.modules.callTimeoutSeconds == 10.5)
        #expect(c.modules.maxToolsPerTurn == 6)
        #expect(c.ui.color == .never)
        #expect(c.server.adminPort == 9003)
        #expect(c.tier(for: TaskType("weather")) == .standard)
        #expect(c.taskKeywords[TaskType("weather")] == ["rain", "forecast"])
        #expect(c.tier(for: .codeGeneration) == .ultra)
        #expect(c.taskTypes.contains(TaskType("weather")))
    }

    @Test func misspeltTaskTypeWarnsButNewTaskTypesAreWelcome() throws {
        let r = try decode(
            """
            [tasks.weather]
            tier = "standard"
            [routing]
            code_generaton = "local:qwen2.5-coder:3b"
            weather = "local:qwen2.5-coder:3b"
            """)
        #expect(
            r.warnings.map(\.description) == [
                "nexus.toml:4: unknown task type routing.code_generaton (did you mean code_generation?); it defines a new task type"
            ])
        #expect(r.config.routing[TaskType("weather")] != nil)
    }

    @Test func providerNameWithAColonIsRefused() throws {
        let e = try #require(failure("[providers.\"a:b\"]\nkind = \"openai\"\n"))
        #expect(e.key == "providers.\"a:b\"")
        #expect(e.line == 1)
    }
}
