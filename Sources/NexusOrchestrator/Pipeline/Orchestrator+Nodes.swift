import NexusCore
import NexusModules

/// How the session makes each chat node from its state at the moment the walk reaches it (routes,
/// privacy and config as they are then), and the transcript the executor reads and adds to.
extension Orchestrator: TurnTranscript {
    func classifierNode(turn: Int) -> ClassifierNode {
        ClassifierNode(
            heuristics: classifier, config: context.config, routes: routes, gateway: gateway, turn: turn,
            session: sessionID, privacy: privacy)
    }

    func modelSelectorNode(turn: Int) -> ModelSelectorNode {
        ModelSelectorNode(config: context.config, routes: routes, privacy: privacy, bus: bus, turn: turn)
    }

    func toolPickerNode(turn: Int) -> ToolPickerNode {
        let bus = self.bus
        var node = ToolPickerNode(
            sources: toolSources, ranking: toolRanking, maxTools: context.config.modules.maxToolsPerTurn,
            privacy: privacy, notify: { bus.publish(turn: turn, .notice($0)) })
        // What the session's earlier turns called (this turn's message is not in the transcript yet).
        node.recent = RecentTools(transcript: conversation)
        let chain = routes.chain(for: .classification).chain
        if context.config.modules.rerankTools, !chain.isEmpty {
            let call = CallContext(
                turn: turn, session: sessionID, taskType: .classification,
                tier: routes.config.tier(for: .classification), privacy: privacy, service: "tool-rerank")
            node.reranker = ToolReranker(
                gateway: gateway, chain: chain, context: call, timeoutMs: context.config.modules.rerankTimeoutMs)
        }
        return node
    }

    func executorNode(_ call: CallContext) -> ExecutorNode {
        ExecutorNode(
            config: context.config, gateway: gateway, transcript: self,
            tools: ToolCallRunner(
                sources: toolSources + [
                    // The turn's own message is in the transcript by now: the turn before is one turn ago.
                    ToolSearchSource(
                        sources: toolSources, ranking: toolRanking, recent: RecentTools(transcript: conversation))
                ],
                interaction: interaction, denials: denials, scrubber: scrubber, bus: bus),
            scrubber: scrubber, bus: bus, call: call)
    }

    // MARK: TurnTranscript

    func messages() -> [ChatMessage] { conversation }

    func record(_ message: ChatMessage, turn: Int) {
        conversation.append(message)
        saveHistory(message, turn: turn)
    }
}
