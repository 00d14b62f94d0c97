import NexusCore
import NexusLLM
import NexusTesting
import Testing

@testable import NexusOrchestrator

/// Issue 12 item 12: under `privacy = "local-only"` no prompt reaches a provider that is not on this
/// machine, whichever call site asks — the turn, the classifier, the ReAct path, failover down a chain.
/// The gateway is the one place every model call passes, so it refuses there.
///
/// The "remote" provider is a real fake server on loopback addressed as `http://127.1:PORT`: libcurl
/// connects to it (so a request that is made is counted), while the one loopback rule
/// (`Endpoint.isLoopback`) reads only plainly written loopback hosts and classes it as remote.
@Suite(.serialized) struct LocalOnlyGatewaySpecs {
    struct Setup {
        let local: FakeProviderServer
        let remote: FakeProviderServer
        let gateway: ProviderGateway
        let bus: EventBus
    }

    func setup(nativeTools: Bool = true) throws -> Setup {
        let local = try FakeProviderServer()
        let remote = try FakeProviderServer()
        var config = NexusConfig()
        var l = ProviderConfig(name: "local", kind: .openai)
        l.baseURL = local.baseURL(for: .openai)
        l.maxRetries = 0
        l.nativeTools = nativeTools
        var r = ProviderConfig(name: "remote", kind: .openai)
        r.baseURL = "http://127.1:\(remote.port)/v1"
        r.maxRetries = 0
        r.nativeTools = nativeTools
        r.apiKeyEnv = "REMOTE_KEY"
        config.providers = [l, r]
        let providers = try config.providers.map {
            try ProviderFactory.make(config: $0, environment: ["REMOTE_KEY": "k"])
        }
        #expect(providers[0].isLocal && !providers[1].isLocal, "127.1 is remote by the one rule")
        let bus = EventBus()
        let gateway = ProviderGateway(providers: providers, config: config, bus: bus, localServer: nil)
        return Setup(local: local, remote: remote, gateway: gateway, bus: bus)
    }

    func context(_ privacy: PrivacyMode, service: String = "orchestrator") -> CallContext {
        CallContext(turn: 1, session: "s", taskType: .simpleQuery, tier: .standard, privacy: privacy, service: service)
    }

    let local = ModelRef(provider: "local", model: "fake-model")
    let remote = ModelRef(provider: "remote", model: "fake-model")
    let request = LLMRequest(model: "fake-model", messages: [.user("the private prompt")])

    @Test func aChainOfOnlyRemoteModelsIsRefusedWithoutARequest() async throws {
        let s = try setup()
        defer {
            s.local.stop()
            s.remote.stop()
        }
        s.remote.enqueue(.text("leaked"))
        await #expect(throws: NexusError.self) {
            _ = try await s.gateway.complete(chain: [remote], request: request, context: context(.localOnly)) { _ in }
        }
        #expect(s.remote.requests.isEmpty, "no request reached the remote server")
    }

    @Test func theClassifierCallIsRefusedToo() async throws {
        let s = try setup()
        defer {
            s.local.stop()
            s.remote.stop()
        }
        s.remote.enqueue(.text("simple_query"))
        let ctx = context(.localOnly, service: "classifier")
        _ = try? await s.gateway.complete(chain: [remote], request: request, context: ctx) { _ in }
        #expect(s.remote.requests.isEmpty)
    }

    @Test func failoverNeverMovesOnToARemoteModel() async throws {
        let s = try setup()
        defer {
            s.local.stop()
            s.remote.stop()
        }
        s.local.enqueue(.error(500, message: "local model crashed"))
        s.remote.enqueue(.text("leaked"))
        await #expect(throws: (any Error).self) {
            let ctx = context(.localOnly)
            _ = try await s.gateway.complete(chain: [local, remote], request: request, context: ctx) { _ in }
        }
        #expect(s.local.chatRequests.count == 1, "the local model was tried")
        #expect(s.remote.requests.isEmpty, "and its failure did not send the prompt out")
    }

    @Test func aRemoteModelFirstInTheChainIsSkippedForTheLocalOne() async throws {
        let s = try setup()
        defer {
            s.local.stop()
            s.remote.stop()
        }
        s.local.enqueue(.text("from local"))
        s.remote.enqueue(.text("leaked"))
        let ctx = context(.localOnly)
        let reply = try await s.gateway.complete(chain: [remote, local], request: request, context: ctx) { _ in }
        #expect(reply.text == "from local")
        #expect(s.remote.requests.isEmpty)
    }

    @Test func theReActPathIsRefusedToo() async throws {
        let s = try setup(nativeTools: false)
        defer {
            s.local.stop()
            s.remote.stop()
        }
        s.remote.enqueue(.text(#"{"final": "leaked"}"#))
        var req = request
        req.tools = [ToolDefinition(name: "clock", description: "the time", inputSchema: ["type": "object"])]
        _ = try? await s.gateway.complete(chain: [remote], request: req, context: context(.localOnly)) { _ in }
        #expect(s.remote.requests.isEmpty)
    }

    /// The same gateway sends to the remote provider when privacy is open: the refusals above are the
    /// privacy check's doing, not a broken provider.
    @Test func withPrivacyOpenTheRemoteProviderIsUsed() async throws {
        let s = try setup()
        defer {
            s.local.stop()
            s.remote.stop()
        }
        s.remote.enqueue(.text("from remote"))
        let reply = try await s.gateway.complete(chain: [remote], request: request, context: context(.open)) { _ in }
        #expect(reply.text == "from remote")
        #expect(s.remote.chatRequests.count == 1)
    }
}
