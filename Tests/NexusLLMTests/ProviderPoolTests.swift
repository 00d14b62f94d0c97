import NexusCore
import NexusTesting
import Testing

@testable import NexusLLM

@Suite struct ProviderPoolTests {
    func config(_ server: FakeProviderServer) -> NexusConfig {
        var c = NexusConfig()
        var cloud = ProviderConfig(name: "cloud", kind: .anthropic)
        cloud.baseURL = "https://api.anthropic.invalid"
        var local = ProviderConfig(name: "local", kind: .openai)
        local.baseURL = server.baseURL(for: .openai)
        local.maxRetries = 1
        var broken = ProviderConfig(name: "broken", kind: .openai)
        broken.baseURL = "not a url"
        c.providers = [cloud, local, broken]
        return c
    }

    @Test func chainsResolveRefsAndKeepRetryPolicies() throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        let pool = ProviderPool(config: config(server), environment: ["ANTHROPIC_API_KEY": "k"])
        #expect(pool.providers.map(\.name) == ["cloud", "local"])
        #expect(pool.problems.count == 1 && pool.problems[0].contains("broken"))
        let chain = try pool.chain(for: [ModelRef(provider: "cloud", model: "claude-haiku-4-5"), ModelRef(provider: "local", model: "fake-model")])
        #expect(chain.map(\.ref) == ["cloud:claude-haiku-4-5", "local:fake-model"])
        #expect(chain[1].retryPolicy.maxRetries == 1)
    }

    @Test func unknownProviderInRoutingIsAConfigError() throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        let pool = ProviderPool(config: config(server), environment: [:])
        #expect(throws: NexusError.self) { try pool.chain(for: [ModelRef(provider: "nope", model: "m")]) }
    }

    @Test func localOnlyPrivacyDropsCloudEntriesAndRefusesAllCloudChains() throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        var c = config(server)
        c.privacy = .localOnly
        let pool = ProviderPool(config: c, environment: [:])
        let chain = try pool.chain(for: [ModelRef(provider: "cloud", model: "x"), ModelRef(provider: "local", model: "fake-model")])
        #expect(chain.map(\.ref) == ["local:fake-model"])
        do {
            _ = try pool.chain(for: [ModelRef(provider: "cloud", model: "x")])
            Issue.record("expected a refusal")
        } catch let e as ProviderError {
            #expect(e.kind == .refused)
            #expect(e.message.contains("local-only"))
        }
    }
}

@Test func listingAllModelsReportsUnreachableProvidersWithTheirConfiguredModels() async throws {
    let server = try FakeProviderServer(models: ["qwen2.5-coder:3b"])
    defer { server.stop() }
    var c = NexusConfig()
    var up = ProviderConfig(name: "local", kind: .ollama)
    up.baseURL = server.baseURL(for: .ollama)
    var down = ProviderConfig(name: "lan", kind: .openai)
    down.baseURL = "http://127.0.0.1:1/v1"
    down.models = ["llama-3.1-8b"]
    c.providers = [up, down]
    let listed = await ProviderPool(config: c, environment: [:]).listAllModels()
    #expect(listed.map(\.provider) == ["local", "lan"])
    #expect(listed[0].models == ["qwen2.5-coder:3b"] && listed[0].reachable)
    #expect(!listed[1].reachable)
    #expect(listed[1].models == ["llama-3.1-8b"])
    #expect(listed[1].error?.contains("127.0.0.1:1") == true)
}
