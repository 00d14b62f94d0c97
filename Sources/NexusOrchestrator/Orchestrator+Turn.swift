import NexusCore
import NexusStore

/// The seven-node pipeline every chat turn walks: input → classifier → tier router → model selector →
/// tool picker → executor → synthesis (DESIGN §4.4).
extension Orchestrator {
    func runTurn(_ rawInput: String) async -> SubmitOutcome {
        let turn = nextTurn()
        let started = MonotonicClock.nanoseconds()
        let step = PipelineStep(bus: bus, turn: turn)
        let input = scrub(rawInput)
        bus.publish(turn: turn, .turnStarted(input: input))
        do {
            _ = await step.run(.input, detail: { "\($0) chars" }) { input.count }
            let decision = await step.run(.classifier, detail: { "\($0.taskType)" }) {
                await classify(input, turn: turn)
            }
            let tier = await step.run(.tierRouter, detail: { $0.rawValue }) {
                routes.config.tier(for: decision.taskType)
            }
            bus.publish(
                turn: turn, .route(taskType: decision.taskType.rawValue, tier: tier.rawValue, reason: decision.reason))
            if decision.taskType == .buildModule, let built = await buildFromChat(input, turn: turn, started: started) {
                return built
            }
            let chain = try await step.run(.modelSelector, detail: { $0.first?.description }) {
                try selectChain(for: decision.taskType, turn: turn)
            }
            lastRoute = (decision, tier, chain)
            let tools = await step.run(.toolPicker, detail: { "\($0.count) tools" }) { await pickTools(for: input) }

            conversation.append(.user(input))
            try? history.append(.user(input), session: sessionID, turn: turn)
            let ctx = CallContext(
                turn: turn, session: sessionID, taskType: decision.taskType, tier: tier, privacy: privacy)
            let answer = try await step.run(.executor, detail: { _ in nil }) {
                try await execute(chain: chain, tools: tools, context: ctx)
            }
            try await step.run(.synthesis) {
                try Task.checkCancellation()
                bus.publish(turn: turn, .final(text: answer))
            }
            let denied = denials.take(turn)
            bus.publish(
                turn: turn,
                .turnFinished(
                    outcome: denied ? "approval_denied" : "ok", latencyMs: MonotonicClock.millisSince(started)))
            return denied ? .approvalDenied : .done
        } catch is CancellationError {
            return finishCancelled(turn: turn, started: started)
        } catch let e as ProviderError where e.kind == .cancelled {
            return finishCancelled(turn: turn, started: started)
        } catch {
            if Task.isCancelled { return finishCancelled(turn: turn, started: started) }
            let (message, hint) = Self.describe(error)
            bus.publish(turn: turn, .error(message: scrub(message), hint: hint))
            bus.publish(turn: turn, .turnFinished(outcome: "error", latencyMs: MonotonicClock.millisSince(started)))
            if let u = error as? any UserFacingError { return .failed(u.exitCode) }
            return .failed(.failure)
        }
    }

    func finishCancelled(turn: Int, started: UInt64) -> SubmitOutcome {
        bus.publish(turn: turn, .notice("turn cancelled"))
        bus.publish(turn: turn, .turnFinished(outcome: "cancelled", latencyMs: MonotonicClock.millisSince(started)))
        return .cancelled
    }

    static func describe(_ error: any Error) -> (String, String?) {
        if let u = error as? any UserFacingError { return (u.userMessage, u.hint) }
        if let p = error as? ProviderError {
            switch p.kind {
            case .unauthorized(let env):
                return (p.description, env.map { "set \($0) to a valid API key" } ?? "check the provider's API key")
            case .unknownModel(let available):
                let list = available.prefix(12).joined(separator: ", ")
                return (p.description, available.isEmpty ? "check the model name" : "the server offers: \(list)")
            case .connection:
                return (p.description, "is the server running? `nexus doctor` checks every provider")
            default:
                return (p.description, nil)
            }
        }
        return ("\(error)", nil)
    }

    /// Heuristics first; when they are unsure and `[classifier] use_model_when_unclear` is on, the
    /// classification model picks among the known task types. Its failure never fails the turn.
    func classify(_ input: String, turn: Int) async -> IntentClassifier.Decision {
        let heuristic = classifier.classify(input)
        guard context.config.classifier.useModelWhenUnclear, !heuristic.confident else { return heuristic }
        let chain = routes.chain(for: .classification).chain
        guard !chain.isEmpty else { return heuristic }
        let names = context.config.taskTypes.filter { $0 != .classification }.map(\.rawValue)
        let prompt = """
            Classify the user's request into exactly one of these task types: \(names.joined(separator: ", ")).
            Reply with the task type name only.

            Request: \(String(input.prefix(2000)))
            """
        let request = LLMRequest(model: chain[0].model, messages: [.user(prompt)], maxTokens: 16, temperature: 0)
        let ctx = CallContext(
            turn: turn, session: sessionID, taskType: .classification, tier: routes.config.tier(for: .classification),
            privacy: privacy, service: "classifier")
        guard let reply = try? await gateway.complete(chain: chain, request: request, context: ctx, onText: { _ in })
        else { return heuristic }
        let answer = reply.text.lowercased()
        if let match = names.first(where: { answer.contains($0) }) {
            return .init(
                taskType: TaskType(match), reason: "classification model (\(heuristic.reason))", confident: true)
        }
        return heuristic
    }

    /// The chain for a task, filtered by privacy mode, or an error that says how to configure one.
    func selectChain(for task: TaskType, turn: Int) throws -> [ModelRef] {
        let chain = routes.chain(for: task).chain
        if context.config.providers.isEmpty || chain.isEmpty {
            throw NexusError(
                "no model provider is configured for \(task)",
                hint: Self.noProviderHint, exit: .failure)
        }
        var usable: [ModelRef] = []
        var refused: [String] = []
        for ref in chain {
            guard let p = context.config.provider(named: ref.provider) else {
                refused.append("\(ref) (no [providers.\(ref.provider)])")
                continue
            }
            if privacy == .localOnly && !ConfigDecoder.isOnThisMachine(p) {
                refused.append("\(ref) (not local)")
                continue
            }
            usable.append(ref)
        }
        if usable.isEmpty {
            if privacy == .localOnly {
                throw NexusError(
                    "privacy is local-only and every model for \(task) is remote: \(refused.joined(separator: ", "))",
                    hint:
                        "route it to a local model (/model \(task) local:MODEL) or leave local-only with /privacy open")
            }
            throw NexusError(
                "no usable model for \(task): \(refused.joined(separator: ", "))", hint: Self.noProviderHint)
        }
        bus.publish(
            turn: turn,
            .modelSelected(model: usable[0].description, chain: usable.dropFirst().map(\.description)))
        if !refused.isEmpty && privacy == .localOnly {
            bus.publish(turn: turn, .notice("local-only: skipped \(refused.joined(separator: ", "))"))
        }
        return usable
    }

    static let noProviderHint =
        "set ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY, start Ollama, or run `make run` for the local model; `nexus doctor` shows what is missing"

    /// All tools, or the most relevant ones when there are more than the per-turn budget.
    func pickTools(for input: String) async -> [ToolDefinition] {
        var all: [ToolDefinition] = []
        for s in toolSources { all += await s.tools() }
        for i in all.indices {
            all[i].description = ToolBudget.cut(
                all[i].description, to: ToolBudget.descriptionCharacters, what: "tool description")
        }
        let k = context.config.modules.maxToolsPerTurn
        guard all.count > k else { return all }
        return toolRanking.top(all, for: input, k: k)
    }

    /// The tool loop: ask the model, run the tools it asks for, feed results back, until it answers.
    func execute(chain: [ModelRef], tools: [ToolDefinition], context ctx: CallContext) async throws -> String {
        let maxSteps = max(1, context.config.conversation.maxToolSteps)
        let bus = self.bus
        let turn = ctx.turn
        var text = ""
        for stepIndex in 0..<maxSteps {
            try Task.checkCancellation()
            let window = ContextTrimmer.window(
                forModel: chain[0].model, configured: context.config.provider(named: chain[0].provider)?.contextWindow)
            let (messages, dropped) = ContextTrimmer.trim(
                systemMessages() + conversation, window: window, reserve: context.config.conversation.maxOutputTokens)
            if dropped > 0 && stepIndex == 0 {
                bus.publish(
                    turn: turn, .notice("context trimmed: \(dropped) oldest turn(s) left out to fit \(chain[0].model)"))
            }
            let request = LLMRequest(
                model: chain[0].model, messages: messages, tools: tools,
                maxTokens: context.config.conversation.maxOutputTokens)
            // Tokens pass one carry-over window: a secret split across pieces is still caught, and only
            // the last (longest secret form - 1) bytes wait for the next piece or the end of the call.
            let stream = ScrubbedStream(scrubber)
            let reply: ModelReply
            do {
                reply = try await gateway.complete(chain: chain, request: request, context: ctx) { piece in
                    let safe = stream.push(piece)
                    if !safe.isEmpty { bus.publish(turn: turn, .token(safe)) }
                }
                let rest = stream.finish()
                if !rest.isEmpty { bus.publish(turn: turn, .token(rest)) }
            } catch {
                let rest = stream.finish()
                if !rest.isEmpty { bus.publish(turn: turn, .token(rest)) }
                throw error
            }
            // What the model asked for is kept, shown and sent back scrubbed; the tool gets it as written.
            let assistant = ChatMessage.assistant(scrub(reply.text), toolCalls: reply.toolCalls.map(scrubber.redact))
            conversation.append(assistant)
            try? history.append(assistant, session: sessionID, turn: turn)
            text = assistant.content
            if reply.toolCalls.isEmpty { return text }
            for call in reply.toolCalls {
                try Task.checkCancellation()
                let result = await runTool(call, turn: turn)
                let message = ChatMessage.toolResult(result)
                conversation.append(message)
                try? history.append(message, session: sessionID, turn: turn)
            }
        }
        bus.publish(turn: turn, .notice("stopped after \(maxSteps) tool steps ([conversation] max_tool_steps)"))
        return text
    }

    func runTool(_ call: ToolCall, turn: Int) async -> ToolResult {
        let owner = await findSource(for: call.name)
        let module = owner.map { _ in Self.moduleName(of: call.name) } ?? nil
        bus.publish(turn: turn, .toolCall(scrubber.redact(call), module: module))
        let start = MonotonicClock.nanoseconds()
        var result: ToolResult
        if let owner {
            let approval = PublishedApproval(
                inner: interaction, bus: bus, turn: turn, denials: denials, scrubber: scrubber)
            result = await owner.call(call, approval: approval)
        } else {
            let names = await allToolNames().joined(separator: ", ")
            result = ToolResult(
                callID: call.id, name: call.name, content: "unknown tool \"\(call.name)\"; available: \(names)",
                isError: true)
        }
        result.name = scrub(result.name)
        result.content = ToolBudget.cut(scrub(result.content), to: ToolBudget.resultCharacters, what: "tool output")
        bus.publish(turn: turn, .toolResult(result, latencyMs: MonotonicClock.millisSince(start)))
        return result
    }

    func findSource(for name: String) async -> (any ToolSource)? {
        for s in toolSources where await s.owns(name) { return s }
        return nil
    }

    func allToolNames() async -> [String] {
        var names: [String] = []
        for s in toolSources { names += await s.tools().map(\.name) }
        return names
    }

    static func moduleName(of namespacedTool: String) -> String? {
        guard let r = namespacedTool.firstRange(of: "__") else { return nil }
        return String(namespacedTool[..<r.lowerBound])
    }

    func systemMessages() -> [ChatMessage] {
        let base =
            context.config.conversation.systemPrompt
            ?? "You are NEXUS, a concise terminal assistant. Use the tools offered when they help; answer plainly."
        return [.system(base)]
    }
}
