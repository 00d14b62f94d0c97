import NexusCore
import NexusStore

/// The seven-node pipeline every chat turn walks: input → classifier → tier router → model selector →
/// tool picker → executor → synthesis (DESIGN §4.4). Each node is a small type in `Pipeline/Nodes/`
/// (the tool loop is `ExecutorNode`); this is the walk over them, timed and announced node by node.
extension Orchestrator {
    func runTurn(_ rawInput: String) async -> SubmitOutcome {
        let turn = nextTurn()
        let started = MonotonicClock.nanoseconds()
        let nodes = PipelineNodeTimer(bus: bus, turn: turn)
        let input = scrub(rawInput)
        bus.publish(turn: turn, .turnStarted(input: input))
        do {
            try await nodes.run(InputNode(), input)
            let decision = try await nodes.run(classifierNode(turn: turn), input)
            let tier = try await nodes.run(TierRouterNode(routes: routes), decision.taskType)
            bus.publish(
                turn: turn, .route(taskType: decision.taskType.rawValue, tier: tier.rawValue, reason: decision.reason))
            if decision.taskType == .buildModule, let built = await buildFromChat(input, turn: turn, started: started) {
                return built
            }
            let chain = try await nodes.run(modelSelectorNode(turn: turn), decision.taskType)
            lastRoute = (decision, tier, chain)
            let tools = try await nodes.run(toolPickerNode(), input)

            record(.user(input), turn: turn)
            let call = CallContext(
                turn: turn, session: sessionID, taskType: decision.taskType, tier: tier, privacy: privacy)
            let answer = try await nodes.run(executorNode(call), .init(chain: chain, tools: tools))
            try await nodes.run(SynthesisNode(bus: bus, turn: turn), answer)
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

    /// The chain for a task, filtered by privacy mode (`model_selected` announced), or an error that says
    /// how to configure one. Module builds ask this for each of their model calls.
    func selectChain(for task: TaskType, turn: Int) throws -> [ModelRef] {
        try modelSelectorNode(turn: turn).select(task)
    }

    static var noProviderHint: String { ModelSelectorNode.noProviderHint }
}
