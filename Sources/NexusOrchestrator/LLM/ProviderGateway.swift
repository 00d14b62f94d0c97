import NexusCore
import NexusLLM
import Synchronization

/// The `ModelGateway` over real providers: the chain runs through NexusLLM's `FailoverRunner`
/// (retries with backoff, then the next model, announced); every attempt becomes a priced `usage`
/// event for the ledger; an autostart provider (the local default) is started before its first call.
///
/// It is also where `privacy = "local-only"` is enforced for every model call, whoever makes it (the
/// turn, the classifier, the ReAct path, failover down a chain): a provider whose endpoint is not on
/// this machine (`Endpoint.isLoopback`, or marked local) is never sent the request.
public final class ProviderGateway: ModelGateway {
    let providers: [String: any LLMProvider]
    let configs: [String: ProviderConfig]
    let bus: EventBus
    let pricing: PricingTable
    let runner: FailoverRunner
    let localServer: LocalModelServer?

    public init(
        providers: [any LLMProvider], config: NexusConfig, bus: EventBus, localServer: LocalModelServer?,
        runner: FailoverRunner = FailoverRunner()
    ) {
        var map: [String: any LLMProvider] = [:]
        for p in providers { map[p.name] = p }
        self.providers = map
        var cfg: [String: ProviderConfig] = [:]
        for p in config.providers { cfg[p.name] = p }
        self.configs = cfg
        self.bus = bus
        self.pricing = PricingTable(config: config)
        self.runner = runner
        self.localServer = localServer
    }

    public func complete(
        chain: [ModelRef], request: LLMRequest, context: CallContext, onText: @Sendable (String) -> Void
    ) async throws -> ModelReply {
        var context = context
        if context.moduleContext == nil { context.moduleContext = ModuleContext.of(request) }
        if !request.tools.isEmpty, let first = chain.first, configs[first.provider]?.nativeTools == false {
            return try await completeWithReAct(chain: chain, request: request, context: context, onText: onText)
        }
        return try await runChain(chain: chain, request: request, context: context, onText: onText)
    }

    /// For models without native tool calling: tools described in the system prompt, the reply read as
    /// strict JSON (repaired where small models damage it), and at most two corrections asked for.
    func completeWithReAct(
        chain: [ModelRef], request: LLMRequest, context: CallContext, onText: @Sendable (String) -> Void
    ) async throws -> ModelReply {
        var req = request
        var messages = ReActProtocol.transcript(request.messages)
        if let i = messages.firstIndex(where: { $0.role == .system }) {
            messages[i].content = ReActProtocol.systemPrompt(tools: request.tools, base: messages[i].content)
        } else {
            messages.insert(.system(ReActProtocol.systemPrompt(tools: request.tools)), at: 0)
        }
        req.messages = messages
        req.tools = []
        for correction in 0...ReActProtocol.maxCorrections {
            var reply = try await runChain(chain: chain, request: req, context: context, onText: { _ in })
            let callID = "react_\(context.turn)_\(MonotonicClock.nanoseconds() % 1_000_000)"
            switch ReActProtocol.parse(reply.text, tools: request.tools, callID: callID) {
            case .success(.final(let answer)):
                onText(answer)
                reply.text = answer
                return reply
            case .success(.toolCall(let call)):
                reply.text = ""
                reply.toolCalls = [call]
                return reply
            case .failure(let failure):
                bus.publish(
                    turn: context.turn,
                    .notice(
                        "the model's reply was not valid tool JSON (\(failure.message)); asking again (\(correction + 1)/\(ReActProtocol.maxCorrections))"
                    ))
                req.messages.append(.assistant(reply.text))
                req.messages.append(.user(failure.message))
            }
        }
        throw NexusError(
            "the model did not follow the JSON tool protocol after \(ReActProtocol.maxCorrections) corrections",
            hint: "route tool-heavy tasks to a stronger model (/model TASK provider:model)")
    }

    func runChain(
        chain: [ModelRef], request: LLMRequest, context: CallContext, onText: @Sendable (String) -> Void
    ) async throws -> ModelReply {
        var candidates: [FailoverCandidate] = []
        var refused: [ModelRef] = []
        for ref in chain {
            guard let p = providers[ref.provider], let cfg = configs[ref.provider] else { continue }
            if context.privacy == .localOnly && !p.isLocal {
                refused.append(ref)
                continue
            }
            if cfg.autostart, let server = localServer, let (host, port) = Self.hostPort(cfg.baseURL) {
                // Start the bundled server when this is the first candidate; later ones start if reached.
                if candidates.isEmpty {
                    do { try await server.ensureRunning(host: host, port: port, turn: context.turn) } catch {
                        if chain.count == 1 { throw error }
                        bus.publish(turn: context.turn, .notice("\(ref): \(error.userFacingDescription)"))
                        continue
                    }
                }
            }
            candidates.append(FailoverCandidate(provider: p, model: ref.model, retryPolicy: RetryPolicy(config: cfg)))
        }
        if !refused.isEmpty { try refuseRemote(refused, leaving: candidates.count, context: context) }
        let bus = self.bus
        let turn = context.turn
        let pricing = self.pricing
        // The model that answered: the last attempt that ended well (a failover moves it down the chain).
        let served = Mutex<ModelRef?>(nil)
        let stream = runner.stream(
            request, chain: candidates,
            onNotice: { notice in
                switch notice {
                case .retry(let p, let attempt, let delay, let reason):
                    bus.publish(turn: turn, .retry(provider: p, attempt: attempt, delaySeconds: delay, reason: reason))
                case .fallback(let from, let to, let reason):
                    bus.publish(turn: turn, .fallback(from: from, to: to, reason: reason))
                }
            },
            onAttemptFinished: { a in
                if a.outcome == "ok" { served.withLock { $0 = ModelRef(provider: a.provider, model: a.model) } }
                bus.publish(
                    turn: turn,
                    .llmCall(
                        a.callRecord(
                            taskType: context.taskType.rawValue, tier: context.tier.rawValue, pricing: pricing,
                            service: context.service, moduleContext: context.moduleContext)))
            })
        var text = ""
        var calls: [ToolCall] = []
        var usage = (0, 0)
        var finish = "stop"
        for try await event in stream {
            switch event {
            case .text(let t):
                text += t
                onText(t)
            case .toolCall(let c): calls.append(c)
            case .usage(let i, let o): usage = (i, o)
            case .finish(let r): finish = r
            }
        }
        return ModelReply(
            text: text, toolCalls: calls,
            servedBy: served.withLock { $0 } ?? chain.first ?? ModelRef(provider: "?", model: "?"), tokensIn: usage.0,
            tokensOut: usage.1, finishReason: finish)
    }

    /// Says which remote models local-only skipped; throws when none of the chain is left.
    func refuseRemote(_ refused: [ModelRef], leaving usable: Int, context: CallContext) throws {
        let names = refused.map(\.description).joined(separator: ", ")
        bus.publish(turn: context.turn, .notice("local-only: skipped \(names) (not local) for \(context.service)"))
        guard usable == 0 else { return }
        throw NexusError(
            "privacy is local-only and every model for \(context.taskType) is remote: \(names)",
            hint: "route it to a local model (/model \(context.taskType) local:MODEL)"
                + " or leave local-only with /privacy open")
    }

    /// Host and port of an http URL (`http://127.0.0.1:8080/v1` → ("127.0.0.1", 8080)).
    static func hostPort(_ url: String?) -> (String, Int)? {
        guard let url, url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count).prefix { $0 != "/" }
        let parts = rest.split(separator: ":")
        guard let host = parts.first else { return nil }
        let port = parts.count > 1 ? Int(parts[1]) ?? 80 : 80
        return (String(host), port)
    }
}
